import type { Severity } from '../../../../src/check-api/types.js';
import { defineAwsCheck, awsFinding } from '../aws-check.js';
import { awsRds } from '../collect/cis-collectors.js';
import type { RdsRegionState } from '../collect/rds.js';

type DbInstance = RdsRegionState['instances'][number];

/** The RDS instance family (CIS v3 2.3.x): one DescribeDBInstances per region, one flag per control. */
export const RDS_INSTANCE_CONTROLS = [
  {
    id: 'aws.rds.storage-encrypted',
    title: 'RDS instances encrypt their storage',
    severity: 'high',
    description: 'DescribeDBInstances StorageEncrypted.',
    remediation: 'Encryption cannot be turned on in place: snapshot, copy the snapshot with a KMS key, restore, and switch over.',
    fails: (db: DbInstance) => !db.storageEncrypted,
    problem: 'stores data unencrypted',
  },
  {
    id: 'aws.rds.auto-minor-version-upgrade',
    title: 'RDS instances take minor engine upgrades automatically',
    severity: 'low',
    description: 'DescribeDBInstances AutoMinorVersionUpgrade.',
    remediation: 'aws rds modify-db-instance --db-instance-identifier <id> --auto-minor-version-upgrade --apply-immediately.',
    fails: (db: DbInstance) => !db.autoMinorVersionUpgrade,
    problem: 'does not upgrade minor versions automatically',
  },
  {
    id: 'aws.rds.no-public-access',
    title: 'RDS instances are not publicly accessible',
    severity: 'high',
    description: 'DescribeDBInstances PubliclyAccessible.',
    remediation: 'aws rds modify-db-instance --db-instance-identifier <id> --no-publicly-accessible --apply-immediately.',
    fails: (db: DbInstance) => db.publiclyAccessible,
    problem: 'is publicly accessible',
  },
] as const satisfies readonly { id: string; title: string; severity: Severity; description: string; remediation: string; fails: (db: DbInstance) => boolean; problem: string }[];

export function defineRdsInstanceCheck(id: (typeof RDS_INSTANCE_CONTROLS)[number]['id']) {
  const control = RDS_INSTANCE_CONTROLS.find((row) => row.id === id)!;
  return defineAwsCheck({
    id: control.id,
    title: control.title,
    severity: control.severity,
    description: control.description,
    remediation: control.remediation,
    needs: { rds: awsRds },
    evaluate({ rds }) {
      return rds.regions.flatMap((r) =>
        r.data.instances
          .filter((db) => control.fails(db))
          .map((db) => awsFinding({ account: r.account, region: r.region, scope: r.scope, resourceId: db.arn, title: `RDS instance ${db.id} in ${r.region} ${control.problem}`, severity: control.severity, evidence: { instance: db.id, engine: db.engine } })),
      );
    },
  });
}
