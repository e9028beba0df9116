import type { CheckCases } from '../../../../support/check-tester.js';
import { A, OPTIONS, deniedCase, emptyRegional, regional, regionScopeOf } from '../builders.js';

/** Cases for the RDS instance family: a compliant instance, and one with exactly the flag this control checks broken. */
export function rdsCases(broken: Record<string, boolean>): CheckCases {
  const good = { id: 'db1', arn: `arn:aws:rds:eu-west-1:${A}:db:db1`, engine: 'postgres', storageEncrypted: true, autoMinorVersionUpgrade: true, publiclyAccessible: false, multiAz: true };
  const bad = { ...good, id: 'db2', arn: `arn:aws:rds:eu-west-1:${A}:db:db2`, ...broken };
  return {
    pass: [
      { name: 'compliant instances', options: OPTIONS, inventory: { rds: regional(() => ({ instances: [good] })) } },
      { name: 'a region without instances', options: OPTIONS, inventory: { rds: regional(() => ({ instances: [] })) } },
    ],
    fail: [{ name: 'one instance breaks the control', options: OPTIONS, inventory: { rds: regional((region) => ({ instances: region === 'eu-west-1' ? [good, bad] : [] })) }, findings: [{ resourceId: bad.arn, severity: expectSeverity(broken), scope: regionScopeOf(A, 'eu-west-1') }] }],
    partial: [deniedCase('DescribeDBInstances denied', ['rds'], { rds: emptyRegional }, regionScopeOf(A, 'us-east-1'))],
  };
}

function expectSeverity(broken: Record<string, boolean>): 'high' | 'low' {
  return 'autoMinorVersionUpgrade' in broken ? 'low' : 'high';
}
