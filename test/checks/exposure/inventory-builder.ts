import type { EndpointTriage, ExposureInventory } from '../../../checks/exposure/collect/triage.js';

/** Recorded-inventory builder for exposure checks: one endpoint with sensible defaults, overridden per case. */
export function endpoint(fields: Partial<EndpointTriage> & Pick<EndpointTriage, 'port' | 'service'>): EndpointTriage {
  const address = fields.address ?? '10.0.0.5';
  return {
    address,
    hostnames: [],
    scope: `host:${address}`,
    source: 'sweep',
    banner: '',
    elapsedMs: 12,
    ...fields,
  };
}

export const COLLECTED_AT = Date.UTC(2026, 10, 23, 12, 0, 0);

export function inventory(...endpoints: EndpointTriage[]): { triage: ExposureInventory } {
  return { triage: { collectedAt: COLLECTED_AT, endpoints } };
}

/** Options as config gives them: a swept block. */
export const target = { hosts: ['10.0.0.0/28'] };

/** A partial case's collected input: the triage plus coverage that failed for one host. */
export function partialCollected(probeMessage: string, ...endpoints: EndpointTriage[]) {
  return {
    triage: {
      data: inventory(...endpoints).triage,
      coverage: {
        ok: ['host:10.0.0.5'],
        failed: [{ scope: 'host:10.0.0.6', error: { name: 'CollectorTimeout', message: probeMessage } }],
      },
    },
  };
}
