import { defineCheck } from '../../src/check-api/define-check.js';
import { triageCollector } from './collect/triage-collector.js';
import { endpointFinding, endpointName, endpointsWith, exposurePreflight } from './endpoint-finding.js';
import { exposureCliTarget, exposureOptions } from './options.js';

// Apache/nginx autoindex, lighttpd, IIS, Python http.server, Node serve-index/http-server, Jetty.
const LISTING_TITLE = /^(Index of \/|Directory listing for \/|Listing of \/|[^<]* - \/$)/i;

export default defineCheck({
  id: 'exposure.http-directory-listing',
  title: 'Web servers do not list directory contents',
  area: 'exposure',
  severity: 'medium',
  description: 'Reports web roots that answer with an automatic directory index, which hands out every file name (backups, dumps, keys) under it.',
  remediation: 'Turn off automatic indexes (`autoindex off;`, `Options -Indexes`, IIS directoryBrowse enabled="false") and serve an index page or 403.',
  references: [
    { framework: 'cwe', control: 'CWE-548', title: 'Exposure of information through directory listing' },
    { framework: 'owasp', version: '2021', control: 'A05', title: 'Security misconfiguration' },
  ],
  options: exposureOptions({}),
  cliTarget: exposureCliTarget,
  preflight: exposurePreflight,
  needs: { triage: triageCollector(['http']) },
  evaluate({ triage }) {
    return endpointsWith(triage.endpoints, 'http')
      .filter(({ http }) => http.root.status === 200 && LISTING_TITLE.test(http.root.title ?? ''))
      .map((endpoint) =>
        endpointFinding(endpoint, {
          title: `${endpoint.http.scheme.toUpperCase()} on ${endpointName(endpoint)} lists the contents of /`,
          severity: 'medium',
          evidence: { scheme: endpoint.http.scheme, title: endpoint.http.root.title ?? null },
        }),
      );
  },
});
