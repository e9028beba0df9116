/**
 * What an unclaimed resource looks like at each provider, as typed data (can-i-take-over-xyz, nuclei, subjack and
 * dnsReaper distilled; see shared research "takeover-ports.md" §1.7). Each row says how a record is matched to the
 * provider, which signal proves the resource is gone (the DNS answer or the HTTP page), whether the name can then be
 * claimed by someone else, and the negatives that rule it out.
 */
export type Claimable = 'yes' | 'edge' | 'no';
export type Mitigation = 'azure-asuid-txt' | 'github-pages-verified-domain';

export interface HttpSignal {
  /** Every string must appear in the body (AND, as nuclei does, to keep bare "404" pages out). */
  readonly bodyAll: readonly string[];
  readonly status?: number;
  /** Extracts the resource name the page talks about; it must equal the expected name for a confirmed verdict. */
  readonly nameInBody?: RegExp;
}

export interface ProviderFingerprint {
  readonly provider: string;
  readonly service: string;
  /** Matched against every name in the CNAME chain (and ALIAS targets). */
  readonly targets: readonly RegExp[];
  readonly claimable: Claimable;
  /** Gone when the chain ends in NXDOMAIN. */
  readonly nxdomain?: boolean;
  /** Gone when the HTTP page (Host: the record name) says so. */
  readonly http?: HttpSignal;
  /** A chain name matching one of these is not claimable even though `targets` matched. */
  readonly negativeTargets?: readonly RegExp[];
  /** A body containing one of these means the resource exists. */
  readonly negativeBody?: readonly string[];
  readonly mitigations?: readonly Mitigation[];
  /** The only schemes this provider serves its page on (tried in the configured order); all configured when absent. */
  readonly schemes?: readonly ('https' | 'http')[];
  readonly note: string;
}

const AWS_REGION = '[a-z]{2}(?:-gov)?-[a-z]+-\\d';

/** S3 website and REST endpoints share the signal; they differ in the names they answer to and the schemes served. */
const S3_BUCKET_GONE = {
  provider: 'aws',
  service: 's3',
  claimable: 'yes',
  http: { bodyAll: ['NoSuchBucket', 'The specified bucket does not exist'], status: 404, nameInBody: /BucketName(?:>|:\s*)([a-z0-9.-]+)/ },
  // Account-regional namespace buckets (`<name>-<12 digits>-<region>-an`) can only be created by their account.
  negativeTargets: [new RegExp(`-\\d{12}-${AWS_REGION}-an\\.s3`)],
  negativeBody: ['NoSuchWebsiteConfiguration', 'AccessDenied', 'NoSuchKey'],
  note: 'S3 bucket names are global: anyone can create the missing bucket and serve content under this name.',
} as const;

export const TAKEOVER_FINGERPRINTS = [
  {
    ...S3_BUCKET_GONE,
    // Website endpoints serve plain HTTP only: an HTTPS attempt would only cost a connect timeout.
    targets: [new RegExp(`(^|\\.)s3-website[.-]${AWS_REGION}\\.amazonaws\\.com$`)],
    schemes: ['http'],
  },
  {
    ...S3_BUCKET_GONE,
    targets: [new RegExp(`(^|\\.)s3([.-]${AWS_REGION})?\\.amazonaws\\.com$`), /(^|\.)s3\.dualstack\.[a-z0-9-]+\.amazonaws\.com$/],
  },
  {
    provider: 'aws',
    service: 'elastic-beanstalk',
    targets: [new RegExp(`\\.${AWS_REGION}\\.elasticbeanstalk\\.com$`)],
    claimable: 'yes',
    nxdomain: true,
    note: 'Region-qualified Elastic Beanstalk CNAMEs can be registered by any account once the environment is gone.',
  },
  {
    provider: 'aws',
    service: 'elastic-beanstalk-legacy',
    targets: [/^[a-z0-9-]+\.elasticbeanstalk\.com$/],
    claimable: 'no',
    nxdomain: true,
    note: 'Region-less legacy Elastic Beanstalk names can no longer be created.',
  },
  {
    provider: 'aws',
    service: 'cloudfront',
    targets: [/\.cloudfront\.net$/],
    claimable: 'no',
    note: 'Distribution names are random and alternate domain names need a certificate for the name.',
  },
  {
    provider: 'aws',
    service: 'elb',
    targets: [/\.elb\.amazonaws\.com$/, /\.elb\.[a-z0-9-]+\.amazonaws\.com$/],
    claimable: 'no',
    note: 'Load balancer names carry a random suffix.',
  },
  {
    provider: 'azure',
    service: 'app-service',
    targets: [/\.azurewebsites\.net$/],
    claimable: 'yes',
    nxdomain: true,
    // Secure unique default hostnames (`<app>-<16 chars>.<region>-01.azurewebsites.net`) cannot be recreated.
    negativeTargets: [/^[a-z0-9-]+-[a-z0-9]{16}\.[a-z]+-\d{2}\.azurewebsites\.net$/],
    mitigations: ['azure-asuid-txt'],
    note: 'A deleted App Service name can be created by another tenant unless an asuid TXT record binds the domain.',
  },
  {
    provider: 'azure',
    service: 'traffic-manager',
    targets: [/\.trafficmanager\.net$/],
    claimable: 'edge',
    nxdomain: true,
    note: 'Traffic Manager profile names become available about two hours after deletion.',
  },
  {
    provider: 'azure',
    service: 'cloud',
    targets: [/\.cloudapp\.net$/, /\.cloudapp\.azure\.com$/, /\.blob\.core\.windows\.net$/, /\.azure-api\.net$/, /\.azureedge\.net$/, /\.azurecontainer\.io$/, /\.azurehdinsight\.net$/, /\.azurefd\.net$/, /\.search\.windows\.net$/, /\.redis\.cache\.windows\.net$/, /\.servicebus\.windows\.net$/, /\.azurecr\.io$/],
    claimable: 'yes',
    nxdomain: true,
    note: 'Azure resource names under these suffixes can be claimed by any subscription once released.',
  },
  {
    provider: 'github',
    service: 'pages',
    targets: [/^[a-z0-9-]+\.github\.io$/],
    claimable: 'edge',
    http: { bodyAll: ["There isn't a GitHub Pages site here."], status: 404 },
    mitigations: ['github-pages-verified-domain'],
    note: 'Another account can attach this domain to its Pages site unless the domain is verified for the organisation.',
  },
  {
    provider: 'heroku',
    service: 'app',
    targets: [/\.herokuapp\.com$/, /\.herokudns\.com$/],
    claimable: 'edge',
    http: { bodyAll: ['no-such-app.html', 'No such app'], status: 404 },
    note: 'Heroku custom domains can be re-added by another app in some cases.',
  },
  {
    provider: 'shopify',
    service: 'store',
    targets: [/\.myshopify\.com$/],
    claimable: 'edge',
    http: { bodyAll: ['Sorry, this shop is currently unavailable.', 'shop-not-found'] },
    note: 'A new store can connect this domain if no store holds it.',
  },
  {
    provider: 'netlify',
    service: 'site',
    targets: [/\.netlify\.app$/, /\.netlify\.com$/],
    claimable: 'edge',
    http: { bodyAll: ['Not Found - Request ID:'], status: 404 },
    note: 'Another Netlify site can add the domain when no site claims it.',
  },
  {
    provider: 'fastly',
    service: 'cdn',
    targets: [/\.fastly\.net$/, /\.fastlylb\.net$/],
    claimable: 'no',
    note: 'Fastly requires domain verification before a service may use the name.',
  },
] as const satisfies readonly ProviderFingerprint[];

/** The provider row for the first chain name that matches one; absent for targets no provider claims. */
export function matchProvider(chain: readonly string[]): { fingerprint: ProviderFingerprint; matchedName: string } | undefined {
  for (const name of chain) {
    for (const fingerprint of TAKEOVER_FINGERPRINTS as readonly ProviderFingerprint[]) {
      if (fingerprint.targets.some((pattern) => pattern.test(name))) return { fingerprint, matchedName: name };
    }
  }
  return undefined;
}
