import type { CheckCases } from '../../../../support/check-tester.js';
import { METRIC_ALARM_CONTROLS, type MetricAlarmControlId } from '../../../../../checks/cloud/aws/monitoring/metric-alarm-controls.js';
import { A, LOG_GROUP_ARN, OPTIONS, TOPIC_ARN, allRegionsOf, cloudTrailInventory, deniedCase, emptyRegional, regional, regionScopeOf } from '../builders.js';

/** Writes a control's clauses the way the CIS text does: spaces, quotes, parentheses and `||`/`&&`. */
export function cisStylePattern(clauses: readonly string[]): string {
  const terms = clauses.map((clause) => {
    if (clause.endsWith('NOTEXISTS')) return `${clause.slice(0, -'NOTEXISTS'.length)} NOT EXISTS`;
    const [left, op, right] = /^(.+?)(!=|=)(.+)$/.exec(clause)!.slice(1) as [string, string, string];
    return `(${left} ${op} "${right.replace('Failedauthentication', 'Failed authentication')}")`;
  });
  return `{ ${terms.join(' || ')} }`;
}

/**
 * The chain for one control: trail → CloudWatch Logs group → metric filter → alarm → SNS topic → confirmed subscriber,
 * all in us-east-1 with the trail. `broken` removes one link.
 */
export function alarmInventory(id: MetricAlarmControlId, broken: 'none' | 'pattern' | 'alarm' | 'subscriber' | 'log-group' = 'none', unread: readonly string[] = []) {
  const control = METRIC_ALARM_CONTROLS.find((row) => row.id === id)!;
  const clauses = broken === 'pattern' ? control.clauses.slice(0, -1) : control.clauses;
  const metric = { name: `cis-${id.split('.').at(-1)}`, namespace: 'CISBenchmark' };
  const home = (region: string) => region === 'us-east-1';
  return {
    cloudtrail: cloudTrailInventory(broken === 'log-group' ? { cloudWatchLogsLogGroupArn: null } : {}, { unread }),
    logs: regional((region) => ({ metricFilters: home(region) ? [{ name: 'cis', logGroupName: 'trail-logs', pattern: cisStylePattern(clauses), metrics: [metric] }] : [] }), { unread }),
    cloudwatch: regional(
      (region) => ({ alarms: home(region) && broken !== 'alarm' ? [{ name: 'cis-alarm', metricName: metric.name, namespace: metric.namespace, actionsEnabled: true, alarmActions: [TOPIC_ARN] }] : [] }),
      { unread },
    ),
    sns: regional((region) => ({ subscriptions: home(region) ? [{ topicArn: TOPIC_ARN, protocol: 'email', confirmed: broken !== 'subscriber' }] : [] }), { unread }),
  };
}

export function alarmCases(id: MetricAlarmControlId): CheckCases {
  const control = METRIC_ALARM_CONTROLS.find((row) => row.id === id)!;
  const rid = `aws:${A}/all-regions/${id.split('.').at(-1)}`;
  const finding = (title: string) => [{ resourceId: rid, severity: control.severity, scope: allRegionsOf(A), title }];
  const empty = { cloudtrail: emptyRegional, logs: emptyRegional, cloudwatch: emptyRegional, sns: emptyRegional };
  return {
    pass: [
      { name: 'filter, alarm and confirmed subscriber on the trail log group', options: OPTIONS, inventory: alarmInventory(id) },
      { name: 'a region could not be read: no verdict (unknown), even with the alarm missing', options: OPTIONS, inventory: alarmInventory(id, 'alarm', ['eu-west-1']) },
    ],
    fail: [
      { name: 'the pattern lacks one of the CIS clauses', options: OPTIONS, inventory: alarmInventory(id, 'pattern'), findings: finding('no matching metric filter') },
      { name: 'no alarm on the metric', options: OPTIONS, inventory: alarmInventory(id, 'alarm'), findings: finding('no alarm on the metric') },
      { name: 'the subscription is still pending confirmation', options: OPTIONS, inventory: alarmInventory(id, 'subscriber'), findings: finding('no confirmed SNS subscriber') },
      { name: 'the trail does not send to CloudWatch Logs', options: OPTIONS, inventory: alarmInventory(id, 'log-group'), findings: finding('no multi-region trail sending to CloudWatch Logs') },
    ],
    partial: [deniedCase('DescribeMetricFilters denied in us-east-1', ['cloudtrail', 'logs', 'cloudwatch', 'sns'], empty, regionScopeOf(A, 'us-east-1'))],
  };
}

export { LOG_GROUP_ARN };
