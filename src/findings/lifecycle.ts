/**
 * The finding lifecycle as a pure transition table. The store applies it inside the run's transaction; nothing else
 * decides a status.
 *
 *   (none) --seen--> new --seen--> open
 *   new | open | reopened --absent from a complete run of a covered scope--> resolved
 *   resolved --seen--> reopened --seen--> open
 *
 * User decisions (false_positive, accepted until a date, muted) sit beside the status: they silence alerts and
 * tickets but never stop the status from following reality.
 */
export const FINDING_STATUSES = ['new', 'open', 'resolved', 'reopened'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

export const DECISIONS = ['false_positive', 'accepted', 'muted'] as const;
export type Decision = (typeof DECISIONS)[number];

export type LifecycleSignal = 'seen' | 'absent';

export function nextStatus(current: FindingStatus | undefined, signal: LifecycleSignal): FindingStatus | undefined {
  if (signal === 'seen') {
    switch (current) {
      case undefined:
        return 'new';
      case 'new':
      case 'open':
      case 'reopened':
        return 'open';
      case 'resolved':
        return 'reopened';
    }
  }
  switch (current) {
    case undefined:
      return undefined;
    case 'resolved':
      return 'resolved';
    default:
      return 'resolved';
  }
}

export const ACTIVE_STATUSES: readonly FindingStatus[] = ['new', 'open', 'reopened'];

export function isActive(status: FindingStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}

export interface DecisionState {
  readonly decision: Decision | null;
  readonly decisionUntil: number | null;
}

/** Accepted risk lapses at its date; the finding then alerts again like any other. */
export function effectiveDecision(state: DecisionState, now: number): Decision | null {
  if (state.decision === 'accepted' && state.decisionUntil !== null && state.decisionUntil <= now) return null;
  return state.decision;
}

/** Whether a change to this finding may produce alerts and tickets. */
export function isSilenced(state: DecisionState, now: number): boolean {
  return effectiveDecision(state, now) !== null;
}
