import type { AnyCheck } from '../src/check-api/types.js';
import awsCloudtrailBucketAccessLogging from './cloud/aws/logging/bucket-access-logging.js';
import awsCloudtrailKmsEncryption from './cloud/aws/logging/kms-encryption.js';
import awsCloudtrailLogFileValidation from './cloud/aws/logging/log-file-validation.js';
import awsCloudtrailMultiRegion from './cloud/aws/logging/multi-region.js';
import awsCloudtrailS3ReadDataEvents from './cloud/aws/logging/s3-read-data-events.js';
import awsCloudtrailS3WriteDataEvents from './cloud/aws/logging/s3-write-data-events.js';
import awsConfigAllRegions from './cloud/aws/logging/all-regions.js';
import awsEc2DefaultSgRestrictsAll from './cloud/aws/networking/default-sg-restricts-all.js';
import awsEc2EbsDefaultEncryption from './cloud/aws/storage/ebs-default-encryption.js';
import awsEc2Imdsv2Required from './cloud/aws/networking/imdsv2-required.js';
import awsEc2InstanceRoles from './cloud/aws/iam/instance-roles.js';
import awsEc2NaclAdminPorts from './cloud/aws/networking/nacl-admin-ports.js';
import awsEc2SgAdminPortsIpv4 from './cloud/aws/networking/sg-admin-ports-ipv4.js';
import awsEc2SgAdminPortsIpv6 from './cloud/aws/networking/sg-admin-ports-ipv6.js';
import awsEc2SgCifsPorts from './cloud/aws/networking/sg-cifs-ports.js';
import awsEc2VpcFlowLogs from './cloud/aws/logging/vpc-flow-logs.js';
import awsEfsEncrypted from './cloud/aws/storage/encrypted.js';
import awsIamAccessAnalyzerAllRegions from './cloud/aws/iam/access-analyzer-all-regions.js';
import awsIamAccessKeyRotation from './cloud/aws/iam/access-key-rotation.js';
import awsIamConsoleUsersMfa from './cloud/aws/iam/console-users-mfa.js';
import awsIamExpiredServerCertificates from './cloud/aws/iam/expired-server-certificates.js';
import awsIamFullAdminPolicies from './cloud/aws/iam/full-admin-policies.js';
import awsIamKeysAtUserSetup from './cloud/aws/iam/keys-at-user-setup.js';
import awsIamOneActiveKey from './cloud/aws/iam/one-active-key.js';
import awsIamPasswordMinLength from './cloud/aws/iam/password-min-length.js';
import awsIamPasswordReuse from './cloud/aws/iam/password-reuse.js';
import awsIamRootAccessKeys from './cloud/aws/iam/root-access-keys.js';
import awsIamRootHardwareMfa from './cloud/aws/iam/root-hardware-mfa.js';
import awsIamRootMfa from './cloud/aws/iam/root-mfa.js';
import awsIamRootUsage from './cloud/aws/iam/root-usage.js';
import awsIamSupportRole from './cloud/aws/iam/support-role.js';
import awsIamUnusedCredentials from './cloud/aws/iam/unused-credentials.js';
import awsIamUserAttachedPolicies from './cloud/aws/iam/user-attached-policies.js';
import awsKmsKeyRotation from './cloud/aws/logging/key-rotation.js';
import awsMonitoringCloudtrailChangesAlarm from './cloud/aws/monitoring/cloudtrail-changes-alarm.js';
import awsMonitoringCmkDeletionAlarm from './cloud/aws/monitoring/cmk-deletion-alarm.js';
import awsMonitoringConfigChangesAlarm from './cloud/aws/monitoring/config-changes-alarm.js';
import awsMonitoringConsoleAuthFailuresAlarm from './cloud/aws/monitoring/console-auth-failures-alarm.js';
import awsMonitoringConsoleSigninWithoutMfaAlarm from './cloud/aws/monitoring/console-signin-without-mfa-alarm.js';
import awsMonitoringIamPolicyChangesAlarm from './cloud/aws/monitoring/iam-policy-changes-alarm.js';
import awsMonitoringNaclChangesAlarm from './cloud/aws/monitoring/nacl-changes-alarm.js';
import awsMonitoringNetworkGatewayChangesAlarm from './cloud/aws/monitoring/network-gateway-changes-alarm.js';
import awsMonitoringOrganizationsChangesAlarm from './cloud/aws/monitoring/organizations-changes-alarm.js';
import awsMonitoringRootUsageAlarm from './cloud/aws/monitoring/root-usage-alarm.js';
import awsMonitoringRouteTableChangesAlarm from './cloud/aws/monitoring/route-table-changes-alarm.js';
import awsMonitoringS3BucketPolicyChangesAlarm from './cloud/aws/monitoring/s3-bucket-policy-changes-alarm.js';
import awsMonitoringSecurityGroupChangesAlarm from './cloud/aws/monitoring/security-group-changes-alarm.js';
import awsMonitoringUnauthorizedApiCallsAlarm from './cloud/aws/monitoring/unauthorized-api-calls-alarm.js';
import awsMonitoringVpcChangesAlarm from './cloud/aws/monitoring/vpc-changes-alarm.js';
import awsRdsAutoMinorVersionUpgrade from './cloud/aws/storage/auto-minor-version-upgrade.js';
import awsRdsNoPublicAccess from './cloud/aws/storage/no-public-access.js';
import awsRdsStorageEncrypted from './cloud/aws/storage/storage-encrypted.js';
import awsS3BucketMfaDelete from './cloud/aws/storage/bucket-mfa-delete.js';
import awsS3BucketTlsOnly from './cloud/aws/storage/bucket-tls-only.js';
import awsS3PublicAccessBlock from './cloud/aws/storage/public-access-block.js';
import awsSecurityhubEnabled from './cloud/aws/monitoring/enabled.js';
import depsVulnerableComponents from './deps/vulnerable-components.js';
import dnsDanglingAddress from './dns/dangling-address.js';
import dnsDanglingCname from './dns/dangling-cname.js';
import dnsLameDelegation from './dns/lame-delegation.js';
import dnsPartiallyLameDelegation from './dns/partially-lame-delegation.js';
import dnsWildcardTakeover from './dns/wildcard-takeover.js';
import exposureDatabaseReachable from './exposure/database-reachable.js';
import exposureElasticsearchOpen from './exposure/elasticsearch-open.js';
import exposureHttpDirectoryListing from './exposure/http-directory-listing.js';
import exposureHttpExposedPaths from './exposure/http-exposed-paths.js';
import exposureHttpNoHttpsRedirect from './exposure/http-no-https-redirect.js';
import exposureHttpSecurityHeaders from './exposure/http-security-headers.js';
import exposureHttpVersionDisclosure from './exposure/http-version-disclosure.js';
import exposureMemcachedNoAuth from './exposure/memcached-no-auth.js';
import exposureMongodbNoAuth from './exposure/mongodb-no-auth.js';
import exposureRedisNoAuth from './exposure/redis-no-auth.js';
import exposureSshPasswordAuth from './exposure/ssh-password-auth.js';
import exposureTlsCertificate from './exposure/tls-certificate.js';
import exposureTlsLegacyProtocols from './exposure/tls-legacy-protocols.js';
import gcpSccActiveFindings from './gcp/active-findings.js';
import { K8S_CHECKS } from './k8s/index.js';
import killswitchCloudtrailLogging from './killswitch/cloudtrail-logging.js';
import killswitchConfigRecorder from './killswitch/config-recorder.js';
import killswitchGuarddutyBlinding from './killswitch/guardduty-blinding.js';
import killswitchGuarddutyEnabled from './killswitch/guardduty-enabled.js';
import killswitchGuarddutyMembers from './killswitch/guardduty-members.js';
import killswitchSccEnabled from './killswitch/scc-enabled.js';
import killswitchSccSilencing from './killswitch/scc-silencing.js';
import killswitchSecurityhubEnabled from './killswitch/securityhub-enabled.js';
import portsUnexpectedOpen from './ports/unexpected-open.js';
import secretsHistory from './secrets/history.js';

/**
 * Every check Vigil ships, sorted by id. An explicit list rather than a file-system glob, so the build includes exactly
 * what is listed and the conventions test can compare it with checks/**.
 */
export const CHECKS: readonly AnyCheck[] = [awsCloudtrailBucketAccessLogging as unknown as AnyCheck, awsCloudtrailKmsEncryption as unknown as AnyCheck, awsCloudtrailLogFileValidation as unknown as AnyCheck, awsCloudtrailMultiRegion as unknown as AnyCheck, awsCloudtrailS3ReadDataEvents as unknown as AnyCheck, awsCloudtrailS3WriteDataEvents as unknown as AnyCheck, awsConfigAllRegions as unknown as AnyCheck, awsEc2DefaultSgRestrictsAll as unknown as AnyCheck, awsEc2EbsDefaultEncryption as unknown as AnyCheck, awsEc2Imdsv2Required as unknown as AnyCheck, awsEc2InstanceRoles as unknown as AnyCheck, awsEc2NaclAdminPorts as unknown as AnyCheck, awsEc2SgAdminPortsIpv4 as unknown as AnyCheck, awsEc2SgAdminPortsIpv6 as unknown as AnyCheck, awsEc2SgCifsPorts as unknown as AnyCheck, awsEc2VpcFlowLogs as unknown as AnyCheck, awsEfsEncrypted as unknown as AnyCheck, awsIamAccessAnalyzerAllRegions as unknown as AnyCheck, awsIamAccessKeyRotation as unknown as AnyCheck, awsIamConsoleUsersMfa as unknown as AnyCheck, awsIamExpiredServerCertificates as unknown as AnyCheck, awsIamFullAdminPolicies as unknown as AnyCheck, awsIamKeysAtUserSetup as unknown as AnyCheck, awsIamOneActiveKey as unknown as AnyCheck, awsIamPasswordMinLength as unknown as AnyCheck, awsIamPasswordReuse as unknown as AnyCheck, awsIamRootAccessKeys as unknown as AnyCheck, awsIamRootHardwareMfa as unknown as AnyCheck, awsIamRootMfa as unknown as AnyCheck, awsIamRootUsage as unknown as AnyCheck, awsIamSupportRole as unknown as AnyCheck, awsIamUnusedCredentials as unknown as AnyCheck, awsIamUserAttachedPolicies as unknown as AnyCheck, awsKmsKeyRotation as unknown as AnyCheck, awsMonitoringCloudtrailChangesAlarm as unknown as AnyCheck, awsMonitoringCmkDeletionAlarm as unknown as AnyCheck, awsMonitoringConfigChangesAlarm as unknown as AnyCheck, awsMonitoringConsoleAuthFailuresAlarm as unknown as AnyCheck, awsMonitoringConsoleSigninWithoutMfaAlarm as unknown as AnyCheck, awsMonitoringIamPolicyChangesAlarm as unknown as AnyCheck, awsMonitoringNaclChangesAlarm as unknown as AnyCheck, awsMonitoringNetworkGatewayChangesAlarm as unknown as AnyCheck, awsMonitoringOrganizationsChangesAlarm as unknown as AnyCheck, awsMonitoringRootUsageAlarm as unknown as AnyCheck, awsMonitoringRouteTableChangesAlarm as unknown as AnyCheck, awsMonitoringS3BucketPolicyChangesAlarm as unknown as AnyCheck, awsMonitoringSecurityGroupChangesAlarm as unknown as AnyCheck, awsMonitoringUnauthorizedApiCallsAlarm as unknown as AnyCheck, awsMonitoringVpcChangesAlarm as unknown as AnyCheck, awsRdsAutoMinorVersionUpgrade as unknown as AnyCheck, awsRdsNoPublicAccess as unknown as AnyCheck, awsRdsStorageEncrypted as unknown as AnyCheck, awsS3BucketMfaDelete as unknown as AnyCheck, awsS3BucketTlsOnly as unknown as AnyCheck, awsS3PublicAccessBlock as unknown as AnyCheck, awsSecurityhubEnabled as unknown as AnyCheck, depsVulnerableComponents as unknown as AnyCheck, dnsDanglingAddress as unknown as AnyCheck, dnsDanglingCname as unknown as AnyCheck, dnsLameDelegation as unknown as AnyCheck, dnsPartiallyLameDelegation as unknown as AnyCheck, dnsWildcardTakeover as unknown as AnyCheck, exposureDatabaseReachable as unknown as AnyCheck, exposureElasticsearchOpen as unknown as AnyCheck, exposureHttpDirectoryListing as unknown as AnyCheck, exposureHttpExposedPaths as unknown as AnyCheck, exposureHttpNoHttpsRedirect as unknown as AnyCheck, exposureHttpSecurityHeaders as unknown as AnyCheck, exposureHttpVersionDisclosure as unknown as AnyCheck, exposureMemcachedNoAuth as unknown as AnyCheck, exposureMongodbNoAuth as unknown as AnyCheck, exposureRedisNoAuth as unknown as AnyCheck, exposureSshPasswordAuth as unknown as AnyCheck, exposureTlsCertificate as unknown as AnyCheck, exposureTlsLegacyProtocols as unknown as AnyCheck, gcpSccActiveFindings as unknown as AnyCheck, ...K8S_CHECKS, killswitchCloudtrailLogging as unknown as AnyCheck, killswitchConfigRecorder as unknown as AnyCheck, killswitchGuarddutyBlinding as unknown as AnyCheck, killswitchGuarddutyEnabled as unknown as AnyCheck, killswitchGuarddutyMembers as unknown as AnyCheck, killswitchSccEnabled as unknown as AnyCheck, killswitchSccSilencing as unknown as AnyCheck, killswitchSecurityhubEnabled as unknown as AnyCheck, portsUnexpectedOpen as unknown as AnyCheck, secretsHistory as unknown as AnyCheck];

const BY_ID = new Map(CHECKS.map((check) => [check.id, check]));

export const registry = {
  all: CHECKS,
  get(id: string): AnyCheck | undefined {
    return BY_ID.get(id);
  },
  /** `ports.unexpected-open`, an area (`ports`), or a glob (`aws.*`). */
  select(selector: string): AnyCheck[] {
    const exact = BY_ID.get(selector);
    if (exact) return [exact];
    if (selector.endsWith('*')) return CHECKS.filter((check) => check.id.startsWith(selector.slice(0, -1)));
    return CHECKS.filter((check) => check.area === selector || check.id.startsWith(`${selector}.`));
  },
};

export type Registry = typeof registry;
