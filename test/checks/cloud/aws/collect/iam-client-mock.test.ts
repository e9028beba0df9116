import { afterEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  GenerateCredentialReportCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  GetCredentialReportCommand,
  IAMClient,
  ListServerCertificatesCommand,
  ListVirtualMFADevicesCommand,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { readIamAccount, parseCredentialReport } from '../../../../../checks/cloud/aws/collect/iam.js';
import { createAwsClientFactory } from '../../../../../checks/cloud/aws/collect/clients.js';

const iam = mockClient(IAMClient);
afterEach(() => iam.reset());

const CSV = [
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated',
  '<root_account>,arn:aws:iam::111111111111:root,2020-01-01T00:00:00+00:00,not_supported,2026-10-01T10:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
  'alice,arn:aws:iam::111111111111:user/alice,2024-01-01T00:00:00+00:00,true,no_information,2024-01-02T00:00:00+00:00,N/A,false,true,2024-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
].join('\n');

describe('IAM collector with aws-sdk-client-mock', () => {
  it('polls GenerateCredentialReport from STARTED to COMPLETE, pages the authorization details, and reads no policy as null', async () => {
    iam.on(GetAccountSummaryCommand).resolves({ SummaryMap: { AccountAccessKeysPresent: 0, AccountMFAEnabled: 1 } });
    iam.on(GetAccountPasswordPolicyCommand).rejects(new NoSuchEntityException({ message: 'The Password Policy with domain name 111111111111 cannot be found.', $metadata: {} }));
    iam.on(GenerateCredentialReportCommand).resolvesOnce({ State: 'STARTED' }).resolvesOnce({ State: 'INPROGRESS' }).resolves({ State: 'COMPLETE' });
    iam.on(GetCredentialReportCommand).resolves({ Content: new TextEncoder().encode(CSV), GeneratedTime: new Date('2026-11-01T00:00:00Z') });
    iam
      .on(GetAccountAuthorizationDetailsCommand, { Marker: undefined })
      .resolves({ UserDetailList: [{ UserName: 'alice', Arn: 'arn:aws:iam::111111111111:user/alice', AttachedManagedPolicies: [], UserPolicyList: [] }], IsTruncated: true, Marker: 'page-2' })
      .on(GetAccountAuthorizationDetailsCommand, { Marker: 'page-2' })
      .resolves({ UserDetailList: [{ UserName: 'bob', Arn: 'arn:aws:iam::111111111111:user/bob', AttachedManagedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }], UserPolicyList: [] }], IsTruncated: false });
    iam.on(ListVirtualMFADevicesCommand).resolves({ VirtualMFADevices: [{ SerialNumber: 'arn:aws:iam::111111111111:mfa/root-account-mfa-device', User: { Arn: 'arn:aws:iam::111111111111:root', UserId: 'x', UserName: 'root', Path: '/', CreateDate: new Date() } }], IsTruncated: false });
    iam.on(ListServerCertificatesCommand).resolves({ ServerCertificateMetadataList: [], IsTruncated: false });

    const clients = createAwsClientFactory({ credentials: { accessKeyId: 'AKIAFAKE111111111111', secretAccessKey: 'x' } });
    const state = await readIamAccount({ id: '111111111111' }, clients, new AbortController().signal, 'us-east-1');

    expect(iam.commandCalls(GenerateCredentialReportCommand)).toHaveLength(3);
    expect(iam.commandCalls(GetCredentialReportCommand)).toHaveLength(1);
    expect(iam.commandCalls(GetAccountAuthorizationDetailsCommand).map((c) => c.args[0].input.Marker)).toEqual([undefined, 'page-2']);
    expect(state.passwordPolicy).toBeNull();
    expect(state.users.map((u) => u.name)).toEqual(['alice', 'bob']);
    expect(state.virtualMfaDevices).toEqual([{ serial: 'arn:aws:iam::111111111111:mfa/root-account-mfa-device', userArn: 'arn:aws:iam::111111111111:root' }]);
    expect(state.reportGeneratedAt).toBe('2026-11-01T00:00:00.000Z');
    expect(state.credentialReport[1]).toMatchObject({ user: 'alice', passwordEnabled: true, passwordLastUsed: null, mfaActive: false, accessKeys: [{ slot: 1, active: true, lastUsed: null }, { slot: 2, active: false }] });
  }, 20_000);

  it('parses the report CSV with quoted fields and reads not_supported as unknown', () => {
    const rows = parseCredentialReport(`${CSV.split('\n')[0]}\n"a,b",arn:x,N/A,not_supported,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`);
    expect(rows).toEqual([{ user: 'a,b', arn: 'arn:x', userCreationTime: null, passwordEnabled: null, passwordLastUsed: null, passwordLastChanged: null, mfaActive: false, accessKeys: [{ slot: 1, active: false, lastRotated: null, lastUsed: null }, { slot: 2, active: false, lastRotated: null, lastUsed: null }] }]);
  });
});
