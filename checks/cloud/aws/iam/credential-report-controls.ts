import type { JsonValue, Severity } from '../../../../src/check-api/types.js';
import { DAY_MS, awsFinding, defineAwsCheck, evaluationTime } from '../aws-check.js';
import { awsIam } from '../collect/cis-collectors.js';
import type { CredentialRow } from '../collect/iam.js';
import type { AwsCisOptions } from '../options.js';

interface Problem {
  readonly key: string;
  readonly title: string;
  readonly evidence: { readonly [key: string]: JsonValue };
}

interface Judge {
  readonly now: number;
  readonly options: AwsCisOptions;
}

/** One control read from the credential report: which rows it looks at, and what is wrong with one row. */
interface CredentialReportControl {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly description: string;
  readonly remediation: string;
  readonly rows: 'root' | 'users';
  readonly problems: (row: CredentialRow, judge: Judge) => Problem[];
}

const ROOT = '<root_account>';
const daysSince = (iso: string | null, now: number) => (iso ? Math.floor((now - Date.parse(iso)) / DAY_MS) : null);
const activeKeys = (row: CredentialRow) => row.accessKeys.filter((k) => k.active);

/**
 * The credential-report family (CIS 1.7, 1.10-1.14): one report, fetched once per account and run group, and one
 * evaluator; each row of this table is one control. Ages are measured from the report's generation time (or `asOf`).
 */
export const CREDENTIAL_REPORT_CONTROLS = [
  {
    id: 'aws.iam.root-usage',
    title: 'The root user was not used in the last day',
    severity: 'high',
    description: "Credential report row <root_account>: password_last_used and the access keys' last use, within 1 day of the report.",
    remediation: 'Stop using root for daily work: create an administrator role or user and lock the root credentials away; find out who signed in as root.',
    rows: 'root',
    problems: (row, { now }) => {
      const uses = [row.passwordLastUsed, ...row.accessKeys.map((k) => k.lastUsed)].filter((d): d is string => d !== null);
      const last = uses.sort().at(-1) ?? null;
      const age = daysSince(last, now);
      return age !== null && age < 1 ? [{ key: 'usage', title: `Root user was used at ${last}`, evidence: { lastUsed: last } }] : [];
    },
  },
  {
    id: 'aws.iam.console-users-mfa',
    title: 'Every IAM user with a console password has MFA',
    severity: 'high',
    description: 'Credential report: password_enabled and not mfa_active.',
    remediation: 'Enable an MFA device for the user, or remove the console password if the user does not sign in.',
    rows: 'users',
    problems: (row) => (row.passwordEnabled && !row.mfaActive ? [{ key: 'mfa', title: `IAM user ${row.user} signs in to the console without MFA`, evidence: { mfaActive: false } }] : []),
  },
  {
    id: 'aws.iam.keys-at-user-setup',
    title: 'No console user holds an active access key that was never used',
    severity: 'low',
    description: 'Credential report: a console user (password_enabled) with an active access key whose last use is N/A, the sign of keys created with the user by default.',
    remediation: 'Delete access keys that were never used; create keys only when the user needs programmatic access.',
    rows: 'users',
    problems: (row) =>
      row.passwordEnabled
        ? activeKeys(row)
            .filter((k) => k.lastUsed === null)
            .map((k) => ({ key: `access-key-${k.slot}`, title: `IAM user ${row.user} has access key ${k.slot} active but never used`, evidence: { slot: k.slot, lastRotated: k.lastRotated } }))
        : [],
  },
  {
    id: 'aws.iam.unused-credentials',
    title: 'Credentials unused for 45 days or more are disabled',
    severity: 'medium',
    description:
      'Credential report: an enabled password or active key not used for `unusedCredentialDays` (CIS: 45); never used counts from the password change or key rotation.',
    remediation: 'Disable the password (delete the login profile) or deactivate the key; delete them if nobody claims them.',
    rows: 'users',
    problems: (row, { now, options }) => {
      const limit = options.unusedCredentialDays;
      const problems: Problem[] = [];
      if (row.passwordEnabled) {
        const age = daysSince(row.passwordLastUsed ?? row.passwordLastChanged ?? row.userCreationTime, now);
        if (age !== null && age >= limit) problems.push({ key: 'password', title: `IAM user ${row.user}: password unused for ${age} days`, evidence: { credential: 'password', days: age, lastUsed: row.passwordLastUsed } });
      }
      for (const key of activeKeys(row)) {
        const age = daysSince(key.lastUsed ?? key.lastRotated, now);
        if (age !== null && age >= limit) problems.push({ key: `access-key-${key.slot}`, title: `IAM user ${row.user}: access key ${key.slot} unused for ${age} days`, evidence: { credential: `access_key_${key.slot}`, days: age, lastUsed: key.lastUsed } });
      }
      return problems;
    },
  },
  {
    id: 'aws.iam.one-active-key',
    title: 'No IAM user has two active access keys',
    severity: 'low',
    description: 'Credential report: access_key_1_active and access_key_2_active both true.',
    remediation: 'Finish the rotation: deactivate and delete the older key.',
    rows: 'users',
    problems: (row) => (activeKeys(row).length > 1 ? [{ key: 'keys', title: `IAM user ${row.user} has two active access keys`, evidence: { active: activeKeys(row).length } }] : []),
  },
  {
    id: 'aws.iam.access-key-rotation',
    title: 'Active access keys are rotated every 90 days or less',
    severity: 'medium',
    description: 'Credential report: access_key_N_last_rotated older than `accessKeyMaxAgeDays` (CIS: 90) on an active key.',
    remediation: 'Create a new key, move its users over, then deactivate and delete the old one.',
    rows: 'users',
    problems: (row, { now, options }) =>
      activeKeys(row).flatMap((k) => {
        const age = daysSince(k.lastRotated, now);
        return age !== null && age > options.accessKeyMaxAgeDays
          ? [{ key: `access-key-${k.slot}`, title: `IAM user ${row.user}: access key ${k.slot} is ${age} days old`, evidence: { slot: k.slot, days: age, lastRotated: k.lastRotated } }]
          : [];
      }),
  },
] as const satisfies readonly CredentialReportControl[];

export type CredentialReportControlId = (typeof CREDENTIAL_REPORT_CONTROLS)[number]['id'];

export function defineCredentialReportCheck(id: CredentialReportControlId) {
  const control: CredentialReportControl = CREDENTIAL_REPORT_CONTROLS.find((row) => row.id === id)!;
  return defineAwsCheck({
    id: control.id,
    title: control.title,
    severity: control.severity,
    description: control.description,
    remediation: control.remediation,
    needs: { iam: awsIam },
    evaluate({ iam }, options) {
      return iam.accounts.flatMap((a) => {
        const judge = { now: evaluationTime(options, a.data.reportGeneratedAt), options };
        const rows = a.data.credentialReport.filter((row) => (control.rows === 'root') === (row.user === ROOT));
        return rows.flatMap((row) =>
          control.problems(row, judge).map((problem) =>
            awsFinding({
              account: a.account,
              scope: a.scope,
              resourceId: row.arn,
              key: problem.key,
              title: problem.title,
              severity: control.severity,
              evidence: { user: row.user, ...problem.evidence },
            }),
          ),
        );
      });
    },
  });
}
