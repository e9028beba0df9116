import {
  DescribePublishingDestinationCommand,
  GetDetectorCommand,
  GetFilterCommand,
  GetIPSetCommand,
  GetThreatEntitySetCommand,
  GetThreatIntelSetCommand,
  GetTrustedEntitySetCommand,
  ListDetectorsCommand,
  ListFiltersCommand,
  ListIPSetsCommand,
  ListPublishingDestinationsCommand,
  ListThreatEntitySetsCommand,
  ListThreatIntelSetsCommand,
  ListTrustedEntitySetsCommand,
} from '@aws-sdk/client-guardduty';
import { z } from 'zod';
import type { CheckContext, Collected } from '../../../../src/check-api/types.js';
import { call } from './aws-errors.js';
import type { AwsClientFactory } from './clients.js';
import { allPages } from './paginate.js';
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

export interface GuardDutyIpSet {
  readonly id: string;
  /**
   * Which API holds it: a classic IP set or threat list, or the newer entity sets (IPs and domains), which suppress or
   * detect the same way.
   */
  readonly api?: 'ipset' | 'trustedentityset' | 'threatintelset' | 'threatentityset';
  readonly name: string;
  readonly status: string;
  readonly format: string;
  readonly location: string;
}

export interface GuardDutyFilter {
  readonly name: string;
  readonly action: string;
  readonly rank: number | null;
  readonly description: string;
  /** As GetFilter returns it, JSON-clean. */
  readonly findingCriteria: { readonly [key: string]: unknown };
}

/** Everything hanging off a detector that can blind it (or is lost with it): IP sets, threat lists, filters, export. */
export interface GuardDutySuppressionState {
  readonly detectorId: string | null;
  readonly ipSets: readonly GuardDutyIpSet[];
  readonly threatIntelSets: readonly GuardDutyIpSet[];
  readonly filters: readonly GuardDutyFilter[];
  readonly publishingDestinations: readonly { readonly id: string; readonly type: string; readonly status: string; readonly destinationArn: string | null; readonly kmsKeyArn: string | null }[];
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
  if (!detectorId) return { detectorId: null, ipSets: [], threatIntelSets: [], filters: [], publishingDestinations: [] };
  const client = clients('guardduty', ref.region, ref.account);
  const options = { abortSignal: signal };
  const [ipSetIds, entitySetIds, threatIntelSetIds, threatEntitySetIds, filterNames, destinations] = await Promise.all([
    allPages((token) => call('guardduty:ListIPSets', () => client.send(new ListIPSetsCommand({ DetectorId: detectorId, NextToken: token }), options)), (o) => o.IpSetIds, (o) => o.NextToken),
    allPages((token) => call('guardduty:ListTrustedEntitySets', () => client.send(new ListTrustedEntitySetsCommand({ DetectorId: detectorId, NextToken: token }), options)), (o) => o.TrustedEntitySetIds, (o) => o.NextToken),
    allPages((token) => call('guardduty:ListThreatIntelSets', () => client.send(new ListThreatIntelSetsCommand({ DetectorId: detectorId, NextToken: token }), options)), (o) => o.ThreatIntelSetIds, (o) => o.NextToken),
    allPages((token) => call('guardduty:ListThreatEntitySets', () => client.send(new ListThreatEntitySetsCommand({ DetectorId: detectorId, NextToken: token }), options)), (o) => o.ThreatEntitySetIds, (o) => o.NextToken),
    allPages((token) => call('guardduty:ListFilters', () => client.send(new ListFiltersCommand({ DetectorId: detectorId, NextToken: token }), options)), (o) => o.FilterNames, (o) => o.NextToken),
    allPages((token) => call('guardduty:ListPublishingDestinations', () => client.send(new ListPublishingDestinationsCommand({ DetectorId: detectorId, NextToken: token }), options)), (o) => o.Destinations, (o) => o.NextToken),
  ]);
  const [classicIpSets, entitySets, classicThreatLists, threatEntitySets, filters, publishingDestinations] = await Promise.all([
    Promise.all(
      ipSetIds.map(async (id) => {
        const out = await call('guardduty:GetIPSet', () => client.send(new GetIPSetCommand({ DetectorId: detectorId, IpSetId: id }), options));
        return { id, api: 'ipset' as const, ...setSchema.parse({ name: out.Name, status: out.Status, format: out.Format, location: out.Location }) };
      }),
    ),
    Promise.all(
      entitySetIds.map(async (id) => {
        const out = await call('guardduty:GetTrustedEntitySet', () => client.send(new GetTrustedEntitySetCommand({ DetectorId: detectorId, TrustedEntitySetId: id }), options));
        return { id, api: 'trustedentityset' as const, ...setSchema.parse({ name: out.Name, status: out.Status, format: out.Format, location: out.Location }) };
      }),
    ),
    Promise.all(
      threatIntelSetIds.map(async (id) => {
        const out = await call('guardduty:GetThreatIntelSet', () => client.send(new GetThreatIntelSetCommand({ DetectorId: detectorId, ThreatIntelSetId: id }), options));
        return { id, api: 'threatintelset' as const, ...setSchema.parse({ name: out.Name, status: out.Status, format: out.Format, location: out.Location }) };
      }),
    ),
    Promise.all(
      threatEntitySetIds.map(async (id) => {
        const out = await call('guardduty:GetThreatEntitySet', () => client.send(new GetThreatEntitySetCommand({ DetectorId: detectorId, ThreatEntitySetId: id }), options));
        return { id, api: 'threatentityset' as const, ...setSchema.parse({ name: out.Name, status: out.Status, format: out.Format, location: out.Location }) };
      }),
    ),
    Promise.all(
      filterNames.map(async (name) => {
        const out = await call('guardduty:GetFilter', () => client.send(new GetFilterCommand({ DetectorId: detectorId, FilterName: name }), options));
        // Round-trip through JSON: the SDK leaves undefined members that a stored baseline would not have.
        const criteria = JSON.parse(JSON.stringify(out.FindingCriteria ?? {})) as { [key: string]: unknown };
        return { name, action: z.string().parse(out.Action), rank: out.Rank ?? null, description: out.Description ?? '', findingCriteria: criteria };
      }),
    ),
    Promise.all(
      destinations.map(async (destination) => {
        const id = z.string().parse(destination.DestinationId);
        const out = await call('guardduty:DescribePublishingDestination', () => client.send(new DescribePublishingDestinationCommand({ DetectorId: detectorId, DestinationId: id }), options));
        return { id, type: String(out.DestinationType ?? destination.DestinationType), status: String(out.Status ?? destination.Status), destinationArn: out.DestinationProperties?.DestinationArn ?? null, kmsKeyArn: out.DestinationProperties?.KmsKeyArn ?? null };
      }),
    ),
  ]);
  const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);
  return {
    detectorId,
    // Both suppress findings about what they list; one list, so an attacker cannot pick the API nobody reads.
    ipSets: [...classicIpSets, ...entitySets].sort(byName),
    threatIntelSets: [...classicThreatLists, ...threatEntitySets].sort(byName),
    filters: filters.sort(byName),
    publishingDestinations: publishingDestinations.sort((a, b) => (a.destinationArn ?? '').localeCompare(b.destinationArn ?? '')),
  };
}

const setSchema = z.object({ name: z.string(), status: z.string(), format: z.string().default('TXT'), location: z.string() });

export function collectGuardDutyDetectors(ctx: CheckContext<AwsScopeOptions>): Promise<Collected<RegionalInventory<GuardDutyDetectorState>>> {
  return collectPerRegion(ctx, readGuardDutyDetector);
}

export function collectGuardDutySuppression(ctx: CheckContext<AwsScopeOptions>): Promise<Collected<RegionalInventory<GuardDutySuppressionState>>> {
  return collectPerRegion(ctx, readGuardDutySuppression);
}
