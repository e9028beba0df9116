import type { VigilConfig } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { Db } from '../store/db.js';
import type { RenderContext } from './digest.js';
import { OutboxDispatcher } from './dispatcher.js';
import type { AlertFinding } from './events.js';
import { JIRA_SINK, type FanOutPlan } from './fan-out.js';
import { namedRoutes } from './routing.js';
import type { Sink } from './sink.js';
import { createEmailSink } from './sinks/email.js';
import { createPagerDutySink } from './sinks/pagerduty.js';
import { createSlackSink } from './sinks/slack.js';
import { createTeamsSink } from './sinks/teams.js';
import { createWebhookSink } from './sinks/webhook.js';
import { createJiraSink, ticketGroupKey } from '../tickets/jira-sync.js';

export type NotifyConfigView = Pick<VigilConfig, 'notify' | 'sinks' | 'routes' | 'runbooks' | 'jira'>;

export function renderContextOf(config: NotifyConfigView): RenderContext {
  return { runbooks: config.runbooks, findingUrl: config.notify.findingUrl ?? null, top: 10 };
}

/** Builds every configured sink by name; Jira, when configured, is the sink named `jira`. */
export function createSinks(config: NotifyConfigView, db: Db, log: Logger, now: () => number = Date.now): Map<string, Sink> {
  const context = renderContextOf(config);
  const sinks = new Map<string, Sink>();
  for (const [name, sink] of Object.entries(config.sinks)) {
    switch (sink.type) {
      case 'slack':
        sinks.set(name, createSlackSink(name, sink, context));
        break;
      case 'teams':
        sinks.set(name, createTeamsSink(name, sink, context));
        break;
      case 'webhook':
        sinks.set(name, createWebhookSink(name, sink, context));
        break;
      case 'email':
        sinks.set(name, createEmailSink(name, sink, context));
        break;
      case 'pagerduty':
        sinks.set(name, createPagerDutySink(name, sink, context));
        break;
    }
  }
  if (config.jira) sinks.set(JIRA_SINK, createJiraSink(db, config.jira, context, log, now));
  return sinks;
}

export function fanOutPlanOf(config: NotifyConfigView, sinks: ReadonlyMap<string, Sink>): FanOutPlan {
  const jira = config.jira;
  return {
    sinks,
    routes: namedRoutes(config.routes),
    jira: jira ? { match: jira.match, orderKey: (finding: AlertFinding) => ticketGroupKey(jira.grouping, finding) } : null,
  };
}

export function createDispatcher(db: Db, config: NotifyConfigView, log: Logger, overrides: { sinks?: Map<string, Sink>; now?: () => number; random?: () => number } = {}): OutboxDispatcher {
  const sinks = overrides.sinks ?? createSinks(config, db, log, overrides.now);
  const plan = fanOutPlanOf(config, sinks);
  return new OutboxDispatcher(
    db,
    sinks,
    {
      maxAttempts: config.notify.maxAttempts,
      baseDelayMs: config.notify.baseDelay,
      maxDelayMs: config.notify.maxDelay,
      pollIntervalMs: config.notify.pollInterval,
      repeatSweepMs: config.notify.repeatSweep,
      routes: plan.routes,
      plan,
      ...(overrides.now ? { now: overrides.now } : {}),
      ...(overrides.random ? { random: overrides.random } : {}),
    },
    log.child({ component: 'outbox' }),
  );
}

/**
 * The daemon's hook: starts delivering the outbox in the background and returns how to stop it. With no sinks and no
 * Jira configured, rows are still fanned out (to nowhere) and marked delivered, so the outbox does not grow forever.
 */
export function startOutboxDispatcher(db: Db, config: NotifyConfigView, log: Logger): { stop(graceMs?: number): Promise<void> } {
  const dispatcher = createDispatcher(db, config, log);
  dispatcher.start();
  return { stop: (graceMs) => dispatcher.stop(graceMs) };
}

export { OutboxDispatcher } from './dispatcher.js';
