import type { AnyCheck } from '../src/check-api/types.js';
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
export const CHECKS: readonly AnyCheck[] = [depsVulnerableComponents as unknown as AnyCheck, dnsDanglingAddress as unknown as AnyCheck, dnsDanglingCname as unknown as AnyCheck, dnsLameDelegation as unknown as AnyCheck, dnsPartiallyLameDelegation as unknown as AnyCheck, dnsWildcardTakeover as unknown as AnyCheck, exposureDatabaseReachable as unknown as AnyCheck, exposureElasticsearchOpen as unknown as AnyCheck, exposureHttpDirectoryListing as unknown as AnyCheck, exposureHttpExposedPaths as unknown as AnyCheck, exposureHttpNoHttpsRedirect as unknown as AnyCheck, exposureHttpSecurityHeaders as unknown as AnyCheck, exposureHttpVersionDisclosure as unknown as AnyCheck, exposureMemcachedNoAuth as unknown as AnyCheck, exposureMongodbNoAuth as unknown as AnyCheck, exposureRedisNoAuth as unknown as AnyCheck, exposureSshPasswordAuth as unknown as AnyCheck, exposureTlsCertificate as unknown as AnyCheck, exposureTlsLegacyProtocols as unknown as AnyCheck, gcpSccActiveFindings as unknown as AnyCheck, ...K8S_CHECKS, killswitchCloudtrailLogging as unknown as AnyCheck, killswitchConfigRecorder as unknown as AnyCheck, killswitchGuarddutyBlinding as unknown as AnyCheck, killswitchGuarddutyEnabled as unknown as AnyCheck, killswitchGuarddutyMembers as unknown as AnyCheck, killswitchSccEnabled as unknown as AnyCheck, killswitchSccSilencing as unknown as AnyCheck, killswitchSecurityhubEnabled as unknown as AnyCheck, portsUnexpectedOpen as unknown as AnyCheck, secretsHistory as unknown as AnyCheck];

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
