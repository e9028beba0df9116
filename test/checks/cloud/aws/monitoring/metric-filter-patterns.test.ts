import { describe, expect, it } from 'vitest';
import { patternHasClauses } from '../../../../../checks/cloud/aws/monitoring/alarm-chain.js';
import { METRIC_ALARM_CONTROLS } from '../../../../../checks/cloud/aws/monitoring/metric-alarm-controls.js';

const clausesOf = (id: string) => METRIC_ALARM_CONTROLS.find((row) => row.id === id)!.clauses;

describe('CIS metric filter patterns', () => {
  it('accepts the CIS v3 4.1 pattern as the benchmark prints it', () => {
    const cis = '{($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket")}';
    expect(patternHasClauses(cis, clausesOf('aws.monitoring.unauthorized-api-calls-alarm'))).toBe(true);
  });

  it('accepts the CIS 4.3 root pattern and rejects one without NOT EXISTS', () => {
    const clauses = clausesOf('aws.monitoring.root-usage-alarm');
    expect(patternHasClauses('{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }', clauses)).toBe(true);
    expect(patternHasClauses('{ $.userIdentity.type = "Root" && $.eventType != "AwsServiceEvent" }', clauses)).toBe(false);
  });

  it('has 15 controls, each with distinct clauses', () => {
    expect(METRIC_ALARM_CONTROLS).toHaveLength(15);
    expect(new Set(METRIC_ALARM_CONTROLS.map((row) => row.clauses.join('|'))).size).toBe(15);
  });
});
