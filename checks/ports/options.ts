import { z } from 'zod';
import { hostSpecSchema } from './host-spec.js';
import { expandPorts, PortSpecError } from './port-sets.js';

/** Numbers, ranges ("8000-8100") and named sets (top-100, top-1000, all), expanded to a sorted list. */
export const portListSchema = z
  .union([z.string(), z.number().int(), z.array(z.union([z.string(), z.number().int()]))])
  .transform((value, ctx) => {
    try {
      return expandPorts(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof PortSpecError ? error.message : String(error) });
      return z.NEVER;
    }
  });

export const hostGroupSchema = z.strictObject({
  name: z.string().min(1),
  hosts: z.array(hostSpecSchema).min(1, 'a host group needs at least one host'),
  /** Ports this group is allowed to expose; anything else open is a finding. */
  expected: portListSchema.default([]),
});

export const unexpectedOpenOptions = z.strictObject({
  groups: z.array(hostGroupSchema).min(1, 'give at least one host group'),
  /** Ports to sweep: numbers, ranges ("8000-8100"), or named sets (top-100, top-1000, all). */
  ports: portListSchema.default(expandPorts('top-1000')),
  concurrency: z.number().int().min(1).max(20_000).default(500),
  /** Per connect. Default: 300 ms when every address is loopback, 1000 ms otherwise (see tcp-sweep.ts). */
  timeoutMs: z.number().int().min(10).max(60_000).optional(),
  retries: z.number().int().min(0).max(5).default(1),
  /** Identify the service behind each unexpected port (a greeting read and a few read-only probes). */
  identifyServices: z.boolean().default(true),
  identifyTimeoutMs: z.number().int().min(100).max(10_000).default(1500),
  /** Upper bound on addresses after CIDR expansion, so a typo like /8 cannot start a 16-million-host sweep. */
  maxAddresses: z.number().int().min(1).max(1_048_576).default(65_536),
  /** Ports whose exposure is high severity by default (remote admin, data stores, container APIs). */
  highRiskPorts: portListSchema.default([23, 445, 1433, 2375, 2376, 3306, 3389, 5432, 5900, 6379, 9200, 11211, 27017]),
});

export type UnexpectedOpenOptions = z.output<typeof unexpectedOpenOptions>;
export type HostGroup = z.output<typeof hostGroupSchema>;
