import { z } from 'zod';
import { SEVERITIES } from '../check-api/types.js';
import { durationSchema } from '../config/duration.js';

/**
 * Config for alert sinks, routes, runbooks and the outbox dispatcher. Every object is strict so a typo names its key.
 * Secrets (webhook URLs, tokens, SMTP passwords) come from `${ENV}` interpolation, never literal text in the file.
 */
export const sinkNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'sink names are letters, digits, dot, dash and underscore');
const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });

const sinkCommon = {
  /** Group a run's alerts into one message (counts plus the top items) rather than one message per finding. */
  digest: z.boolean().optional(),
  /** How many findings a digest lists by name; the rest are counted. */
  digestTop: z.number().int().min(1).max(50).default(10),
  /** Deliveries in flight at once for this sink. Chat webhooks allow about one message a second per channel. */
  concurrency: z.number().int().min(1).max(64).default(1),
  timeout: durationSchema.default(10_000),
};

export const slackSinkSchema = z.strictObject({
  type: z.literal('slack'),
  url: httpUrl,
  /**
   * Mute / accept risk / false positive buttons under each finding. Needs a Slack app whose Interactivity URL points at
   * Vigil's `/v1/slack/actions` (api.slack.signingSecret set); plain incoming webhooks without an app cannot use them.
   */
  triageButtons: z.boolean().default(false),
  ...sinkCommon,
});
export const teamsSinkSchema = z.strictObject({ type: z.literal('teams'), url: httpUrl, ...sinkCommon });
export const webhookSinkSchema = z.strictObject({
  type: z.literal('webhook'),
  url: httpUrl,
  /** HMAC-SHA256 key; receivers verify `X-Vigil-Signature: v1=<hex>` over `<timestamp>.<body>`. */
  secret: z.string().min(16, 'a webhook secret needs at least 16 characters'),
  headers: z.record(z.string(), z.string()).default({}),
  ...sinkCommon,
});
export const emailSinkSchema = z.strictObject({
  type: z.literal('email'),
  smtp: z.strictObject({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(587),
    secure: z.boolean().default(false),
    /** Refuse to send without STARTTLS; off only for a relay on loopback. */
    requireTls: z.boolean().default(true),
    user: z.string().optional(),
    pass: z.string().optional(),
  }),
  from: z.string().min(3),
  to: z.array(z.string().min(3)).min(1),
  ...sinkCommon,
});
export const pagerdutySinkSchema = z.strictObject({
  type: z.literal('pagerduty'),
  routingKey: z.string().min(1),
  url: httpUrl.default('https://events.pagerduty.com/v2/enqueue'),
  ...sinkCommon,
});

export const sinkSchema = z.discriminatedUnion('type', [slackSinkSchema, teamsSinkSchema, webhookSinkSchema, emailSinkSchema, pagerdutySinkSchema]);

export const routeMatchSchema = z.strictObject({
  /** Check id globs (`aws.*`, `secrets.history`); any one matching is enough. */
  check: z.array(z.string().min(1)).optional(),
  area: z.array(z.string().min(1)).optional(),
  /** Minimum severity. Run problems (failed, partial, timeout) have no severity and ignore this. */
  severity: z.enum(SEVERITIES).optional(),
  /** Every listed tag must be on the finding. */
  tags: z.array(z.string().min(1)).optional(),
});

export const routeSchema = z.strictObject({
  name: sinkNameSchema.optional(),
  match: routeMatchSchema.default({}),
  sinks: z.array(sinkNameSchema).min(1),
  /** Keep evaluating later routes after this one matched (Alertmanager's `continue`). */
  continue: z.boolean().default(false),
  /** Remind again while a finding of these severities stays open and unsilenced; off when absent. */
  repeatInterval: durationSchema.optional(),
  repeatSeverities: z.array(z.enum(SEVERITIES)).default(['critical']),
  /** Also announce findings that resolved (PagerDuty always resolves what it paged). */
  sendResolved: z.boolean().default(false),
  /** Announce failed, partial and timed-out runs of matching checks. */
  sendRunProblems: z.boolean().default(true),
});

export const notifySchema = z
  .strictObject({
    pollInterval: durationSchema.default(2_000),
    maxAttempts: z.number().int().min(1).max(100).default(12),
    baseDelay: durationSchema.default(5_000),
    maxDelay: durationSchema.default(3_600_000),
    /** How often the dispatcher looks for open findings due a repeat reminder. */
    repeatSweep: durationSchema.default(60_000),
    /** Link back to findings, e.g. an internal Vigil UI; `{fingerprint}` is replaced. */
    findingUrl: z.string().optional(),
  })
  .prefault({});

export const jiraSchema = z.strictObject({
  flavor: z.enum(['cloud', 'server']),
  url: httpUrl,
  /** Cloud: account email + API token (basic auth). Server/Data Center: a personal access token (bearer). */
  email: z.string().optional(),
  apiToken: z.string().optional(),
  token: z.string().optional(),
  project: z.string().min(1),
  issueType: z.string().min(1).default('Bug'),
  match: routeMatchSchema.default({}),
  /** One ticket per finding, or one per (check, resource): the ticket closes when the last finding of the group does. */
  grouping: z.enum(['finding', 'check-resource']).default('finding'),
  priorities: z.partialRecord(z.enum(SEVERITIES), z.string().min(1)).default({}),
  labels: z.array(z.string().regex(/^\S+$/, 'Jira labels cannot contain spaces')).default([]),
  components: z.array(z.string().min(1)).default([]),
  /** Extra fields set on create, e.g. `customfield_10010: {value: "Security"}`. */
  customFields: z.record(z.string(), z.unknown()).default({}),
  /** Assignee account id (Cloud) or user name (Server) by check glob; the first matching rule wins. */
  assignees: z.array(z.strictObject({ check: z.string().min(1), assignee: z.string().min(1) })).default([]),
  /** Target statuses by name; when absent the first transition into the right status category is used. */
  doneStatus: z.string().optional(),
  reopenStatus: z.string().optional(),
  wontDoStatus: z.string().optional(),
  doneResolution: z.string().optional(),
  wontDoResolution: z.string().optional(),
  /** How long a just-created issue may stay invisible to search; a create with a lost response is retried only after it. */
  searchLag: durationSchema.default(30_000),
  timeout: durationSchema.default(15_000),
}).superRefine((jira, ctx) => {
  if (jira.flavor === 'cloud' && (!jira.email || !jira.apiToken)) {
    ctx.addIssue({ code: 'custom', path: [jira.email ? 'apiToken' : 'email'], message: 'Jira Cloud needs email and apiToken (use ${ENV} for the token)' });
  }
  if (jira.flavor === 'server' && !jira.token) {
    ctx.addIssue({ code: 'custom', path: ['token'], message: 'Jira Server/Data Center needs a personal access token (token)' });
  }
});

export const runbooksSchema = z.record(z.string().min(1), z.url()).default({});

export type SinkConfig = z.output<typeof sinkSchema>;
export type RouteConfig = z.output<typeof routeSchema>;
export type RouteMatch = z.output<typeof routeMatchSchema>;
export type NotifyConfig = z.output<typeof notifySchema>;
export type JiraConfig = z.output<typeof jiraSchema>;

/** Routes may only name sinks that exist; checked on the whole config so the error points at the route. */
export function checkRouteSinks(
  config: { readonly sinks: Readonly<Record<string, unknown>>; readonly routes: readonly { readonly sinks: readonly string[] }[] },
  ctx: z.RefinementCtx,
): void {
  config.routes.forEach((route, index) => {
    route.sinks.forEach((name, at) => {
      if (!(name in config.sinks)) {
        ctx.addIssue({ code: 'custom', path: ['routes', index, 'sinks', at], message: `no sink named '${name}' under sinks` });
      }
    });
  });
}
