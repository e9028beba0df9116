import { lazyCollector } from '../../../../src/check-api/lazy.js';
import { sharedCollector } from '../../../../src/check-api/shared-collector.js';

/**
 * The one instance of each CIS collector. Shared: every control of a run group (one `audit run aws`, one tick of a
 * `check: aws` job) evaluates the same inventory, so each account, region, operation and page is asked once. Lazy:
 * listing checks or starting the CLI loads no SDK. Checks import these, never the service modules.
 */
export const awsIam = sharedCollector(lazyCollector(() => import('./iam.js').then((m) => m.collectIam)));
export const awsS3 = sharedCollector(lazyCollector(() => import('./s3.js').then((m) => m.collectS3)));
export const awsEc2 = sharedCollector(lazyCollector(() => import('./ec2.js').then((m) => m.collectEc2)));
export const awsRds = sharedCollector(lazyCollector(() => import('./rds.js').then((m) => m.collectRds)));
export const awsEfs = sharedCollector(lazyCollector(() => import('./efs.js').then((m) => m.collectEfs)));
export const awsKms = sharedCollector(lazyCollector(() => import('./kms.js').then((m) => m.collectKms)));
export const awsAccessAnalyzer = sharedCollector(lazyCollector(() => import('./accessanalyzer.js').then((m) => m.collectAccessAnalyzer)));
export const awsCloudTrail = sharedCollector(lazyCollector(() => import('./trail-services.js').then((m) => m.collectTrails)));
export const awsConfig = sharedCollector(lazyCollector(() => import('./trail-services.js').then((m) => m.collectConfigRecorders)));
export const awsSecurityHub = sharedCollector(lazyCollector(() => import('./trail-services.js').then((m) => m.collectSecurityHubs)));
export const awsLogs = sharedCollector(lazyCollector(() => import('./logs.js').then((m) => m.collectLogs)));
export const awsCloudWatch = sharedCollector(lazyCollector(() => import('./cloudwatch.js').then((m) => m.collectCloudWatch)));
export const awsSns = sharedCollector(lazyCollector(() => import('./sns.js').then((m) => m.collectSns)));
