import { z } from 'zod';
import { defineCheck } from '../../src/check-api/define-check.js';
import type { FindingInput } from '../../src/check-api/types.js';
import type { HttpResponseSummary } from './collect/http.js';
import { triageCollector } from './collect/triage-collector.js';
import { endpointFinding, endpointName, endpointsWith, exposurePreflight } from './endpoint-finding.js';
import { exposureCliTarget, exposureOptions } from './options.js';

interface HeaderRule {
  readonly key: string;
  readonly header: string;
  readonly httpsOnly: boolean;
  /** Undefined when the response satisfies the rule; else why not. */
  readonly problem: (headers: Readonly<Record<string, string>>, minHstsSeconds: number) => string | undefined;
}

/** The baseline: one typed row per header, all judged on the answer to `GET /`. */
const RULES: readonly HeaderRule[] = [
  {
    key: 'hsts',
    header: 'Strict-Transport-Security',
    httpsOnly: true,
    problem: (h, min) => {
      const value = h['strict-transport-security'];
      if (!value) return 'missing';
      const maxAge = Number(/max-age\s*=\s*"?(\d+)/i.exec(value)?.[1] ?? NaN);
      return Number.isFinite(maxAge) && maxAge >= min ? undefined : `max-age below ${min} s (${value})`;
    },
  },
  { key: 'csp', header: 'Content-Security-Policy', httpsOnly: false, problem: (h) => (h['content-security-policy'] ? undefined : 'missing') },
  {
    key: 'x-content-type-options',
    header: 'X-Content-Type-Options',
    httpsOnly: false,
    problem: (h) => (/^\s*nosniff\s*$/i.test(h['x-content-type-options'] ?? '') ? undefined : h['x-content-type-options'] ? `not nosniff (${h['x-content-type-options']})` : 'missing'),
  },
  {
    key: 'framing',
    header: 'Content-Security-Policy frame-ancestors or X-Frame-Options',
    httpsOnly: false,
    problem: (h) => (/frame-ancestors/i.test(h['content-security-policy'] ?? '') || /^\s*(deny|sameorigin)\s*$/i.test(h['x-frame-options'] ?? '') ? undefined : 'missing'),
  },
];

export function headerProblems(response: HttpResponseSummary, scheme: 'http' | 'https', minHstsSeconds: number): { key: string; header: string; problem: string }[] {
  return RULES.filter((rule) => scheme === 'https' || !rule.httpsOnly).flatMap((rule) => {
    const problem = rule.problem(response.headers, minHstsSeconds);
    return problem ? [{ key: rule.key, header: rule.header, problem }] : [];
  });
}

export default defineCheck({
  id: 'exposure.http-security-headers',
  title: 'Web servers send the baseline security headers',
  area: 'exposure',
  severity: 'low',
  description:
    'Reads `GET /` on every HTTP(S) port that answers 2xx and reports each missing baseline header: HSTS on HTTPS ' +
    '(max-age of at least 180 days), Content-Security-Policy, X-Content-Type-Options: nosniff, and frame-ancestors or ' +
    'X-Frame-Options against clickjacking.',
  remediation:
    'Add the headers at the edge (load balancer, reverse proxy or framework middleware), e.g. ' +
    "`Strict-Transport-Security: max-age=31536000; includeSubDomains`, `Content-Security-Policy: default-src 'self'; " +
    "frame-ancestors 'none'`, `X-Content-Type-Options: nosniff`.",
  references: [
    { framework: 'owasp', version: '2021', control: 'A05', title: 'Security misconfiguration' },
    { framework: 'cwe', control: 'CWE-693', title: 'Protection mechanism failure' },
    { framework: 'cwe', control: 'CWE-1021', title: 'Improper restriction of rendered UI layers (clickjacking)' },
  ],
  options: exposureOptions({ minHstsSeconds: z.number().int().min(0).default(15_552_000) }),
  cliTarget: exposureCliTarget,
  preflight: exposurePreflight,
  needs: { triage: triageCollector(['http']) },
  evaluate({ triage }, options) {
    const findings: FindingInput[] = [];
    for (const endpoint of endpointsWith(triage.endpoints, 'http')) {
      const { root, scheme } = endpoint.http;
      if (root.status < 200 || root.status > 299) continue;
      for (const { key, header, problem } of headerProblems(root, scheme, options.minHstsSeconds)) {
        findings.push(
          endpointFinding(endpoint, {
            key,
            title: `${scheme.toUpperCase()} on ${endpointName(endpoint)}: ${header} ${problem}`,
            severity: 'low',
            evidence: { scheme, status: root.status, header, problem },
          }),
        );
      }
    }
    return findings;
  },
});
