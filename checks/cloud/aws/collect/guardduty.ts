import { GetDetectorCommand, GetFilterCommand, GetIPSetCommand, ListDetectorsCommand, ListFiltersCommand, ListIPSetsCommand } from '@aws-sdk/client-guardduty';
import { z } from 'zod';
import type { CheckContext, Collected } from '../../../../src/check-api/types.js';
import { call } from './aws-errors.js';
import type { AwsClientFactory } from './clients.js';
import { collectPerRegion, type AwsRegionRef, type AwsScopeOptions, type RegionalInventory } from './scopes.js';

const featureStatus = z.enum(['ENABLED', 'DISABLED']);

const detectorSchema = z.object({
  status: featureStatus,
  findingPublishingFrequency: z.string().optional(),
  features: z
    .array(
      z.object({
        name: z.string(),
        status: featureStatus,
        additionalConfiguration: z.array(z.object({ name: z.string(), status: featureStatus })).optional(),
      }),
    )
    .default([]),
});

export interface GuardDutyFeature {
  readonly name: string;
  readonly status: 'ENABLED' | 'DISABLED';
  readonly additional: readonly { readonly name: string; readonly status: 'ENABLED' | 'DISABLED' }[];
}

/** One region's detector; `detectorId: null` means there is none (deleted, or never created). */
export interface GuardDutyDetectorState {
  readonly detectorId: string | null;
  readonly status: 'ENABLED' | 'DISABLED' | null;
  readonly findingPublishingFrequency: string | null;
  readonly features: readonly GuardDutyFeature[];
}

export interface GuardDutySuppressionState {
  readonly detectorId: string | null;
  readonly ipSets: readonly { readonly id: string; readonly name: string; readonly status: string; readonly location: string }[];
  readonly filters: readonly { readonly name: string; readonly action: string; readonly rank: number | null }[];
}

async function detectorIdOf(ref: AwsRegionRef, clients: AwsClientFactory, signal?: AbortSignal): Promise<string | null> {
  const client = clients('guardduty', ref.region, ref.account);
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const out = await call('guardduty:ListDetectors', () => client.send(new ListDetectorsCommand({ NextToken: token }), { abortSignal: signal }));
    ids.push(...z.array(z.string()).parse(out.DetectorIds ?? []));
    token = out.NextToken;
  } while (token);
  // GuardDuty allows one detector per account and region.
  return ids[0] ?? null;
}

export async function readGuardDutyDetector(ref: AwsRegionRef, clients: AwsClientFactory, signal?: AbortSignal): Promise<GuardDutyDetectorState> {
  const detectorId = await detectorIdOf(ref, clients, signal);
  if (!detectorId) return { detectorId: null, status: null, findingPublishingFrequency: null, features: [] };
  const raw = await call('guardduty:GetDetector', () => clients('guardduty', ref.region, ref.account).send(new GetDetectorCommand({ DetectorId: detectorId }), { abortSignal: signal }));
  const detector = call('guardduty:GetDetector', async () => detectorSchema.parse({ status: raw.Status, findingPublishingFrequency: raw.FindingPublishingFrequency, features: raw.Features?.map((f) => ({ name: f.Name, status: f.Status, additionalConfiguration: f.AdditionalConfiguration?.map((a) => ({ name: a.Name, status: a.Status })) })) }));
  const parsed = await detector;
  return {
    detectorId,
    status: parsed.status,
    findingPublishingFrequency: parsed.findingPublishingFrequency ?? null,
    features: parsed.features.map((f) => ({ name: f.name, status: f.status, additional: f.additionalConfiguration ?? [] })).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

export async function readGuardDutySuppression(ref: AwsRegionRef, clients: AwsClientFactory, signal?: AbortSignal): Promise<GuardDutySuppressionState> {
  const detectorId = await detectorIdOf(ref, clients, signal);
  if (!detectorId) return { detectorId: null, ipSets: [], filters: [] };
  const client = clients('guardduty', ref.region, ref.account);
  const ipSetIds: string[] = [];
  let token: string | undefined;
  do {
    const out = await call('guardduty:ListIPSets', () => client.send(new ListIPSetsCommand({ DetectorId: detectorId, NextToken: token }), { abortSignal: signal }));
    ipSetIds.push(...(out.IpSetIds ?? []));
    token = out.NextToken;
  } while (token);
  const filterNames: string[] = [];
  token = undefined;
  do {
    const out = await call('guardduty:ListFilters', () => client.send(new ListFiltersCommand({ DetectorId: detectorId, NextToken: token }), { abortSignal: signal }));
    filterNames.push(...(out.FilterNames ?? []));
    token = out.NextToken;
  } while (token);
  const ipSets = await Promise.all(
    ipSetIds.map(async (id) => {
      const out = await call('guardduty:GetIPSet', () => client.send(new GetIPSetCommand({ DetectorId: detectorId, IpSetId: id }), { abortSignal: signal }));
      return { id, ...ipSetSchema.parse({ name: out.Name, status: out.Status, location: out.Location }) };
    }),
  );
  const filters = await Promise.all(
    filterNames.map(async (name) => {
      const out = await call('guardduty:GetFilter', () => client.send(new GetFilterCommand({ DetectorId: detectorId, FilterName: name }), { abortSignal: signal }));
      return { name, action: z.string().parse(out.Action), rank: out.Rank ?? null };
    }),
  );
  return { detectorId, ipSets: ipSets.sort((a, b) => a.name.localeCompare(b.name)), filters: filters.sort((a, b) => a.name.localeCompare(b.name)) };
}

const ipSetSchema = z.object({ name: z.string(), status: z.string(), location: z.string() });

export function collectGuardDutyDetectors(ctx: CheckContext<AwsScopeOptions>): Promise<Collected<RegionalInventory<GuardDutyDetectorState>>> {
  return collectPerRegion(ctx, readGuardDutyDetector);
}

export function collectGuardDutySuppression(ctx: CheckContext<AwsScopeOptions>): Promise<Collected<RegionalInventory<GuardDutySuppressionState>>> {
  return collectPerRegion(ctx, readGuardDutySuppression);
}
