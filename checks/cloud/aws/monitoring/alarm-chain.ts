import type { CloudWatchRegionState } from '../collect/cloudwatch.js';
import type { RegionalInventory } from '../collect/inventory.js';
import type { LogsRegionState } from '../collect/logs.js';
import type { SnsRegionState } from '../collect/sns.js';
import type { HomeTrail } from '../logging/trails.js';

/** Strips whitespace and double quotes, so patterns compare by content and not by formatting. */
export function normalizePattern(pattern: string): string {
  return pattern.replace(/[\s"]/g, '');
}

export function patternHasClauses(pattern: string, clauses: readonly string[]): boolean {
  const normalized = normalizePattern(pattern);
  return clauses.every((clause) => normalized.includes(normalizePattern(clause)));
}

export interface AlarmChain {
  readonly complete: boolean;
  /** The first missing link, for the finding: no trail to CloudWatch Logs, no metric filter, no alarm, no subscriber. */
  readonly brokenAt: 'no multi-region trail sending to CloudWatch Logs' | 'no matching metric filter' | 'no alarm on the metric' | 'no confirmed SNS subscriber' | null;
}

/** `arn:aws:logs:eu-west-1:111111111111:log-group:trail-logs:*` → region and name. */
function logGroupOf(arn: string): { region: string; name: string } | null {
  const match = /^arn:aws[\w-]*:logs:([\w-]+):\d{12}:log-group:(.+?)(:\*)?$/.exec(arn);
  return match ? { region: match[1]!, name: match[2]! } : null;
}

/**
 * Follows trail → log group → metric filter → alarm → topic → confirmed subscription for one account, across the
 * regions each link lives in (the log group's region, the topic's region).
 */
export function alarmChain(
  account: string,
  trails: readonly HomeTrail[],
  clauses: readonly string[],
  logs: RegionalInventory<LogsRegionState>,
  cloudwatch: RegionalInventory<CloudWatchRegionState>,
  sns: RegionalInventory<SnsRegionState>,
): AlarmChain {
  const regionOf = <T>(inventory: RegionalInventory<T>, region: string) => inventory.regions.find((r) => r.account === account && r.region === region)?.data;
  const groups = trails.filter((t) => t.account === account && t.trail.cloudWatchLogsLogGroupArn).map((t) => logGroupOf(t.trail.cloudWatchLogsLogGroupArn!)).filter((g) => g !== null);
  if (groups.length === 0) return { complete: false, brokenAt: 'no multi-region trail sending to CloudWatch Logs' };
  let furthest: AlarmChain['brokenAt'] = 'no matching metric filter';
  for (const group of groups) {
    const filters = (regionOf(logs, group.region)?.metricFilters ?? []).filter((f) => f.logGroupName === group.name && patternHasClauses(f.pattern, clauses));
    for (const metric of filters.flatMap((f) => f.metrics)) {
      const alarms = (regionOf(cloudwatch, group.region)?.alarms ?? []).filter((a) => a.metricName === metric.name && a.namespace === metric.namespace && a.actionsEnabled);
      if (alarms.length === 0) continue;
      furthest = 'no confirmed SNS subscriber';
      const topics = alarms.flatMap((a) => a.alarmActions.filter((action) => action.startsWith('arn:aws') && action.split(':')[2] === 'sns'));
      const subscribed = topics.some((topic) => (regionOf(sns, topic.split(':')[3] ?? '')?.subscriptions ?? []).some((s) => s.topicArn === topic && s.confirmed));
      if (subscribed) return { complete: true, brokenAt: null };
    }
    if (furthest === 'no matching metric filter' && filters.length > 0) furthest = 'no alarm on the metric';
  }
  return { complete: false, brokenAt: furthest };
}

