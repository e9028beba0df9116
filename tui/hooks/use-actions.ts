import { useState } from 'react';
import { describeError } from '../../src/check-api/errors.js';
import { isoDay } from '../components/cells.js';
import { Command } from '../keymap.js';
import { parseUntil } from '../parse-until.js';
import { useTui } from './use-tui.js';

export type ActionCommand = Command.FalsePositive | Command.Accept | Command.Mute | Command.Undo | Command.RunNow;

export interface ActionTarget {
  readonly fingerprint?: string;
  readonly checkId: string;
}

interface Pending {
  readonly command: ActionCommand;
  readonly target: ActionTarget;
  readonly step: 'until' | 'reason';
  readonly until?: number;
}

export interface ActionPromptState {
  readonly label: string;
  readonly key: string;
  readonly submit: (value: string) => void;
  readonly cancel: () => void;
}

const VERB: Record<ActionCommand, string> = {
  [Command.FalsePositive]: 'False positive',
  [Command.Accept]: 'Accept risk',
  [Command.Mute]: 'Mute',
  [Command.Undo]: 'Clear decision',
  [Command.RunNow]: 'Run now',
};

const DECISION = { [Command.FalsePositive]: 'false_positive', [Command.Accept]: 'accepted', [Command.Mute]: 'muted', [Command.Undo]: 'cleared' } as const;

/**
 * The triage actions as a small prompt flow: (accept: until when?) → why? → write. Every write goes through the
 * ledger's own setDecision / run request with the OS user name; --read-only refuses before asking anything.
 */
export function useActions(): { prompt: ActionPromptState | undefined; start: (command: ActionCommand, target: ActionTarget) => void } {
  const { data, actor, readOnly, now, refresh, setCapturing, flash } = useTui();
  const [pending, setPending] = useState<Pending | undefined>(undefined);

  const finish = (message?: string, kind: 'info' | 'error' = 'info') => {
    setPending(undefined);
    setCapturing(false);
    if (message) flash(message, kind);
  };

  const start = (command: ActionCommand, target: ActionTarget) => {
    if (readOnly) return flash(`read-only: ${VERB[command].toLowerCase()} is disabled (started with --read-only)`, 'error');
    if (command !== Command.RunNow && !target.fingerprint) return flash('select a finding first', 'error');
    setCapturing(true);
    setPending({ command, target, step: command === Command.Accept ? 'until' : 'reason' });
  };

  const execute = (p: Pending, reason: string) => {
    try {
      if (p.command === Command.RunNow) {
        const result = data.runNow(p.target.checkId, actor, reason);
        refresh();
        return finish(
          result.via === 'daemon'
            ? `run of ${p.target.checkId} requested from the daemon (request ${result.requestId})`
            : `no daemon running: ${p.target.checkId} runs in child process ${result.pid ?? '?'}`,
        );
      }
      data.decide({
        fingerprint: p.target.fingerprint!,
        decision: DECISION[p.command],
        reason,
        actor,
        ...(p.until !== undefined ? { until: p.until } : {}),
      });
      refresh();
      finish(`${VERB[p.command].toLowerCase()}: ${p.target.fingerprint!.slice(0, 12)} by ${actor}${p.until !== undefined ? ` until ${isoDay(p.until)}` : ''}`);
    } catch (error) {
      finish(describeError(error), 'error');
    }
  };

  const prompt: ActionPromptState | undefined = pending && {
    key: `${pending.command}-${pending.step}`,
    label: pending.step === 'until' ? `${VERB[pending.command]} until (2027-03-31, 30d, 12w): ` : `${VERB[pending.command]}: why? `,
    cancel: () => finish('cancelled'),
    submit: (value: string) => {
      if (pending.step === 'until') {
        const until = parseUntil(value, now());
        if (!until.ok) return flash(until.error, 'error');
        return setPending({ ...pending, step: 'reason', until: until.at });
      }
      if (value.trim() === '') return flash('a reason is required: it is recorded with your name', 'error');
      execute(pending, value.trim());
    },
  };
  return { prompt, start };
}
