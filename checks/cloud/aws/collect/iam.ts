import { setTimeout as sleep } from 'node:timers/promises';
import {
  GenerateCredentialReportCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  ListServerCertificatesCommand,
  ListVirtualMFADevicesCommand,
  type GetAccountAuthorizationDetailsCommandOutput,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import type { CheckContext } from '../../../../src/check-api/types.js';
import type { AwsCisOptions } from '../options.js';
import { collectGlobal } from './account-scopes.js';
import { AwsOperationError, awsErrorCode, call } from './aws-errors.js';
import type { AwsAccountRef, AwsClientFactory } from './clients.js';
import { globalInventorySchema, recordable, type GlobalInventory } from './inventory.js';
import { allPages } from './paginate.js';

const isoOrNull = z.string().nullable();

/** One row of the credential report; `<root_account>` is the root user. Dates are ISO or null (N/A, no_information). */
export const credentialRowSchema = z.strictObject({
  user: z.string(),
  arn: z.string(),
  userCreationTime: isoOrNull,
  /** Null for the root user, whose password state the report does not give ("not_supported"). */
  passwordEnabled: z.boolean().nullable(),
  passwordLastUsed: isoOrNull,
  passwordLastChanged: isoOrNull,
  mfaActive: z.boolean(),
  accessKeys: z.array(z.strictObject({ slot: z.number().int(), active: z.boolean(), lastRotated: isoOrNull, lastUsed: isoOrNull })),
});
export type CredentialRow = z.output<typeof credentialRowSchema>;

/** A policy statement reduced to what the admin-policy control needs. */
export const statementSchema = z.strictObject({
  effect: z.string(),
  actions: z.array(z.string()),
  resources: z.array(z.string()),
  notAction: z.boolean(),
  condition: z.boolean(),
});
export type PolicyStatement = z.output<typeof statementSchema>;

export const iamAccountSchema = z.strictObject({
  summary: z.strictObject({ accountAccessKeysPresent: z.number().int(), accountMfaEnabled: z.number().int() }),
  /** Null: no password policy set (NoSuchEntity), which fails 1.8 and 1.9. */
  passwordPolicy: z
    .strictObject({ minimumPasswordLength: z.number().int().nullable(), passwordReusePrevention: z.number().int().nullable() })
    .nullable(),
  credentialReport: z.array(credentialRowSchema),
  users: z.array(z.strictObject({ name: z.string(), arn: z.string(), attachedPolicyArns: z.array(z.string()), inlinePolicyNames: z.array(z.string()) })),
  roles: z.array(z.strictObject({ name: z.string(), arn: z.string(), attachedPolicyArns: z.array(z.string()) })),
  /** Managed policies attached to at least one user, group or role, with their default version's statements. */
  policies: z.array(z.strictObject({ name: z.string(), arn: z.string(), attachmentCount: z.number().int(), statements: z.array(statementSchema) })),
  /** Inline policies of users, groups and roles. */
  inlinePolicies: z.array(z.strictObject({ owner: z.string(), name: z.string(), statements: z.array(statementSchema) })),
  /** Virtual MFA devices and the user each is assigned to: the root user's MFA being one of them fails 1.6. */
  virtualMfaDevices: z.array(z.strictObject({ serial: z.string(), userArn: z.string().nullable() })),
  /** When the credential report was generated: the evaluation clock for ages (1.7, 1.12, 1.14, 1.19). */
  reportGeneratedAt: z.string(),
  serverCertificates: z.array(z.strictObject({ name: z.string(), arn: z.string(), expiration: isoOrNull })),
});
export type IamAccountState = z.output<typeof iamAccountSchema>;
export const iamInventorySchema = globalInventorySchema(iamAccountSchema);

/** The report is generated asynchronously: STARTED, then INPROGRESS, then COMPLETE; AWS reuses one under 4 hours old. */
async function credentialReport(client: IAMClient, signal: AbortSignal): Promise<{ csv: string; generatedAt: string }> {
  let wait = 200;
  for (let attempt = 0; ; attempt++) {
    const out = await call('iam:GenerateCredentialReport', () => client.send(new GenerateCredentialReportCommand({}), { abortSignal: signal }));
    if (out.State === 'COMPLETE') break;
    if (attempt >= 12) throw new AwsOperationError('iam:GenerateCredentialReport', new Error(`report still ${out.State} after ${attempt + 1} polls`));
    await sleep(wait, undefined, { signal });
    wait = Math.min(wait * 2, 5_000);
  }
  const report = await call('iam:GetCredentialReport', () => client.send(new GetCredentialReportCommand({}), { abortSignal: signal }));
  if (!report.Content) throw new AwsOperationError('iam:GetCredentialReport', new Error('empty report'));
  return { csv: Buffer.from(report.Content).toString('utf8'), generatedAt: (report.GeneratedTime ?? new Date()).toISOString() };
}

const NOT_A_DATE = new Set(['N/A', 'no_information', 'not_supported', '']);
const dateOrNull = (value: string | undefined) => (value === undefined || NOT_A_DATE.has(value) ? null : new Date(value).toISOString());
const flag = (value: string | undefined) => value === 'true';

export function parseCredentialReport(csv: string): CredentialRow[] {
  const rows = parseCsv(csv, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  return rows.map((row) => ({
    user: row.user ?? '',
    arn: row.arn ?? '',
    userCreationTime: dateOrNull(row.user_creation_time),
    passwordEnabled: row.password_enabled === 'not_supported' ? null : flag(row.password_enabled),
    passwordLastUsed: dateOrNull(row.password_last_used),
    passwordLastChanged: dateOrNull(row.password_last_changed),
    mfaActive: flag(row.mfa_active),
    accessKeys: [1, 2].map((slot) => ({
      slot,
      active: flag(row[`access_key_${slot}_active`]),
      lastRotated: dateOrNull(row[`access_key_${slot}_last_rotated`]),
      lastUsed: dateOrNull(row[`access_key_${slot}_last_used_date`]),
    })),
  }));
}

/** IAM returns policy documents URL-encoded. */
export function policyStatements(document: string | undefined): PolicyStatement[] {
  if (!document) return [];
  const parsed = JSON.parse(decodeURIComponent(document)) as { Statement?: unknown };
  const statements = Array.isArray(parsed.Statement) ? parsed.Statement : parsed.Statement ? [parsed.Statement] : [];
  const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)]);
  return statements.map((raw) => {
    const s = raw as Record<string, unknown>;
    return {
      effect: String(s.Effect ?? ''),
      actions: list(s.Action ?? s.NotAction),
      resources: list(s.Resource ?? s.NotResource),
      notAction: s.NotAction !== undefined,
      condition: s.Condition !== undefined,
    };
  });
}

export async function readIamAccount(account: AwsAccountRef, clients: AwsClientFactory, signal: AbortSignal, region: string): Promise<IamAccountState> {
  const client = clients('iam', region, account);
  // One loosely typed send so the many list calls below stay short; each result is checked by iamAccountSchema.
  const send = <T>(operation: string, command: object): Promise<T> => call(operation, () => (client as unknown as { send(c: object, o: object): Promise<T> }).send(command, { abortSignal: signal }));
  const [summary, passwordPolicy, report, details, virtualMfa, certificates] = await Promise.all([
    send<{ SummaryMap?: Record<string, number> }>('iam:GetAccountSummary', new GetAccountSummaryCommand({})),
    client.send(new GetAccountPasswordPolicyCommand({}), { abortSignal: signal }).then(
      (out) => ({ minimumPasswordLength: out.PasswordPolicy?.MinimumPasswordLength ?? null, passwordReusePrevention: out.PasswordPolicy?.PasswordReusePrevention ?? null }),
      (error: unknown) => {
        // "No policy set" is a state to report (CIS fails it), not a failure to look.
        if (awsErrorCode(error) === 'NoSuchEntityException' || awsErrorCode(error) === 'NoSuchEntity') return null;
        throw new AwsOperationError('iam:GetAccountPasswordPolicy', error);
      },
    ),
    credentialReport(client, signal),
    allPages(
      (Marker) => send<GetAccountAuthorizationDetailsCommandOutput>('iam:GetAccountAuthorizationDetails', new GetAccountAuthorizationDetailsCommand({ Marker, Filter: ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'] })),
      (out) => [out],
      (out) => (out.IsTruncated ? out.Marker : undefined),
    ),
    allPages(
      (Marker) => send<{ VirtualMFADevices?: { SerialNumber?: string; User?: { Arn?: string } }[]; IsTruncated?: boolean; Marker?: string }>('iam:ListVirtualMFADevices', new ListVirtualMFADevicesCommand({ Marker })),
      (out) => out.VirtualMFADevices,
      (out) => (out.IsTruncated ? out.Marker : undefined),
    ),
    allPages(
      (Marker) =>
        send<{ ServerCertificateMetadataList?: { ServerCertificateName?: string; Arn?: string; Expiration?: Date }[]; IsTruncated?: boolean; Marker?: string }>(
          'iam:ListServerCertificates',
          new ListServerCertificatesCommand({ Marker }),
        ),
      (out) => out.ServerCertificateMetadataList,
      (out) => (out.IsTruncated ? out.Marker : undefined),
    ),
  ]);
  const users = details.flatMap((page) => page.UserDetailList ?? []);
  const groups = details.flatMap((page) => page.GroupDetailList ?? []);
  const roles = details.flatMap((page) => page.RoleDetailList ?? []);
  const policies = details.flatMap((page) => page.Policies ?? []);
  return iamAccountSchema.parse({
    summary: { accountAccessKeysPresent: summary.SummaryMap?.AccountAccessKeysPresent ?? 0, accountMfaEnabled: summary.SummaryMap?.AccountMFAEnabled ?? 0 },
    passwordPolicy,
    credentialReport: parseCredentialReport(report.csv),
    users: users.map((u) => ({
      name: u.UserName ?? '',
      arn: u.Arn ?? '',
      attachedPolicyArns: (u.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn ?? '').sort(),
      inlinePolicyNames: (u.UserPolicyList ?? []).map((p) => p.PolicyName ?? '').sort(),
    })),
    roles: roles.map((r) => ({ name: r.RoleName ?? '', arn: r.Arn ?? '', attachedPolicyArns: (r.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn ?? '').sort() })),
    policies: policies
      .filter((p) => (p.AttachmentCount ?? 0) > 0)
      .map((p) => ({
        name: p.PolicyName ?? '',
        arn: p.Arn ?? '',
        attachmentCount: p.AttachmentCount ?? 0,
        statements: policyStatements((p.PolicyVersionList ?? []).find((v) => v.IsDefaultVersion)?.Document),
      })),
    inlinePolicies: [
      ...users.flatMap((u) => (u.UserPolicyList ?? []).map((p) => ({ owner: u.Arn ?? '', name: p.PolicyName ?? '', statements: policyStatements(p.PolicyDocument) }))),
      ...groups.flatMap((g) => (g.GroupPolicyList ?? []).map((p) => ({ owner: g.Arn ?? '', name: p.PolicyName ?? '', statements: policyStatements(p.PolicyDocument) }))),
      ...roles.flatMap((r) => (r.RolePolicyList ?? []).map((p) => ({ owner: r.Arn ?? '', name: p.PolicyName ?? '', statements: policyStatements(p.PolicyDocument) }))),
    ],
    virtualMfaDevices: virtualMfa.map((d) => ({ serial: d.SerialNumber ?? '', userArn: d.User?.Arn ?? null })).sort((a, b) => a.serial.localeCompare(b.serial)),
    reportGeneratedAt: report.generatedAt,
    serverCertificates: certificates.map((c) => ({ name: c.ServerCertificateName ?? '', arn: c.Arn ?? '', expiration: c.Expiration ? c.Expiration.toISOString() : null })),
  });
}

export const collectIam = recordable('iam', { accounts: [], listed: [] } as GlobalInventory<IamAccountState>, (ctx: CheckContext<AwsCisOptions>) =>
  collectGlobal(ctx, (account, clients, signal) => readIamAccount(account, clients, signal, ctx.options.homeRegion)),
);
