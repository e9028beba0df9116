import {
  CreateFilterCommand,
  CreateIPSetCommand,
  CreatePublishingDestinationCommand,
  CreateThreatEntitySetCommand,
  CreateThreatIntelSetCommand,
  UpdateFilterCommand,
  UpdateThreatEntitySetCommand,
  UpdateThreatIntelSetCommand,
  type GuardDutyClient,
} from '@aws-sdk/client-guardduty';
import { call } from '../../cloud/aws/collect/aws-errors.js';
import type { GuardDutySuppressionState } from '../../cloud/aws/collect/guardduty.js';
import { blindingDrift } from '../guardduty-blinding-drift.js';
import { forRegion, type GuardDutyBaseline } from '../guardduty-drift.js';

export interface ChildTarget {
  readonly client: GuardDutyClient;
  readonly detectorId: string;
  readonly account: string;
  readonly region: string;
  readonly signal: AbortSignal;
}

/**
 * Re-applies what the baseline says should hang off a detector and is missing from it: trusted IP sets, threat lists
 * (created, or re-activated), approved filters, the findings export. After CreateDetector that is everything; on a
 * live detector it is only what was deleted. Returns the API calls made, in order; throws on the first refusal.
 */
export async function restoreDetectorChildren(target: ChildTarget, state: GuardDutySuppressionState, baseline: GuardDutyBaseline, actions: string[]): Promise<void> {
  const { client, detectorId, account, region, signal } = target;
  const drift = blindingDrift(state, baseline, account, region);
  // One call per missing item, each named for the record; the command types differ, so the client sees them as never.
  const send = async (action: string, command: unknown) => {
    actions.push(action);
    await call(action, () => client.send(command as never, { abortSignal: signal }));
  };
  for (const name of drift.missingIpSets) {
    const intended = baseline.trustedIpSets.find((set) => set.name === name)!;
    if (!intended.location || !intended.format) throw new Error(`trusted IP set '${name}' is approved by name only; the baseline needs its format and location to re-create it`);
    await send('guardduty:CreateIPSet', new CreateIPSetCommand({ DetectorId: detectorId, Name: name, Format: intended.format as never, Location: forRegion(intended.location, account, region), Activate: true }));
  }
  for (const name of drift.missingThreatIntelSets) {
    const intended = baseline.threatIntelSets.find((set) => set.name === name)!;
    const input = { DetectorId: detectorId, Name: name, Format: intended.format as never, Location: forRegion(intended.location, account, region), Activate: true };
    if (intended.api === 'threatentityset') await send('guardduty:CreateThreatEntitySet', new CreateThreatEntitySetCommand(input));
    else await send('guardduty:CreateThreatIntelSet', new CreateThreatIntelSetCommand(input));
  }
  for (const set of drift.inactiveThreatIntelSets) {
    if (set.api === 'threatentityset') await send('guardduty:UpdateThreatEntitySet', new UpdateThreatEntitySetCommand({ DetectorId: detectorId, ThreatEntitySetId: set.id, Activate: true }));
    else await send('guardduty:UpdateThreatIntelSet', new UpdateThreatIntelSetCommand({ DetectorId: detectorId, ThreatIntelSetId: set.id, Activate: true }));
  }
  for (const name of drift.missingFilters) {
    const intended = baseline.filters.find((filter) => filter.name === name)!;
    await send('guardduty:CreateFilter', new CreateFilterCommand({ DetectorId: detectorId, Name: name, Action: intended.action, Description: intended.description, FindingCriteria: intended.findingCriteria as never, ...(intended.rank !== undefined ? { Rank: intended.rank } : {}) }));
  }
  for (const { intended } of drift.changedFilters) {
    await send('guardduty:UpdateFilter', new UpdateFilterCommand({ DetectorId: detectorId, FilterName: intended.name, Action: intended.action, Description: intended.description, FindingCriteria: intended.findingCriteria as never, ...(intended.rank !== undefined ? { Rank: intended.rank } : {}) }));
  }
  for (const arn of drift.missingDestinations) {
    const intended = baseline.publishingDestinations.find((d) => forRegion(d.destinationArn, account, region) === arn)!;
    await send('guardduty:CreatePublishingDestination', new CreatePublishingDestinationCommand({ DetectorId: detectorId, DestinationType: 'S3', DestinationProperties: { DestinationArn: arn, KmsKeyArn: forRegion(intended.kmsKeyArn, account, region) } }));
  }
}

/** The part of the blinding drift that re-applying the baseline fixes; empty after a complete restore. */
export function unrestored(state: GuardDutySuppressionState, baseline: GuardDutyBaseline, account: string, region: string): string[] {
  const drift = blindingDrift(state, baseline, account, region);
  return [
    ...drift.missingIpSets.map((n) => `ipset ${n}`),
    ...drift.missingThreatIntelSets.map((n) => `threat list ${n}`),
    ...drift.inactiveThreatIntelSets.map((s) => `threat list ${s.name} inactive`),
    ...drift.missingFilters.map((n) => `filter ${n}`),
    ...drift.changedFilters.map((c) => `filter ${c.intended.name} changed`),
    ...drift.missingDestinations.map((arn) => `export ${arn}`),
  ];
}
