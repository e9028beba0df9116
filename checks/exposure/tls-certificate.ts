import { z } from 'zod';
import { defineCheck } from '../../src/check-api/define-check.js';
import type { FindingInput, Severity } from '../../src/check-api/types.js';
import type { CertificateSummary } from './collect/tls.js';
import { triageCollector } from './collect/triage-collector.js';
import { endpointFinding, endpointName, endpointsWith, exposurePreflight } from './endpoint-finding.js';
import { exposureCliTarget, exposureOptions } from './options.js';

const DAY = 86_400_000;
// OpenSSL verify codes that mean "nobody we trust vouches for this chain".
const UNTRUSTED = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT']);

const options = exposureOptions({
  /** Days before expiry at which a finding opens (low), rises (medium) and becomes urgent (high). */
  expiryDays: z
    .strictObject({ low: z.number().int().min(1).default(30), medium: z.number().int().min(1).default(14), high: z.number().int().min(1).default(7) })
    .refine((d) => d.low >= d.medium && d.medium >= d.high, { message: 'expiryDays must satisfy low >= medium >= high' })
    .default({ low: 30, medium: 14, high: 7 }),
  minRsaBits: z.number().int().min(1024).default(2048),
  minEcBits: z.number().int().min(160).default(256),
  /** Report chains no trusted root vouches for (self-signed, private CA without caFiles). */
  reportUntrusted: z.boolean().default(true),
});

export default defineCheck({
  id: 'exposure.tls-certificate',
  title: 'TLS certificates are valid, trusted, match their name and are not about to expire',
  area: 'exposure',
  severity: 'high',
  description:
    'Reads the certificate chain of every TLS port the sweep finds and of the configured TLS endpoints, and reports: ' +
    'expiry within 30/14/7 days (severity rising) or already expired, a certificate that does not cover the name it ' +
    'is served under, a self-signed or untrusted chain, and RSA keys under 2048 bits or EC keys under 256 bits.',
  remediation:
    'Renew the certificate (automate it with ACME), serve the full chain from a trusted CA that covers every name, and ' +
    'use RSA 2048+ or ECDSA P-256+ keys.',
  references: [
    { framework: 'cwe', control: 'CWE-295', title: 'Improper certificate validation' },
    { framework: 'cwe', control: 'CWE-326', title: 'Inadequate encryption strength' },
    { framework: 'cis-controls', version: '8', control: '3.10', title: 'Encrypt sensitive data in transit' },
  ],
  options,
  cliTarget: exposureCliTarget,
  preflight: exposurePreflight,
  needs: { triage: triageCollector(['tls']) },
  evaluate({ triage }, opts) {
    const findings: FindingInput[] = [];
    for (const endpoint of endpointsWith(triage.endpoints, 'tls')) {
      const { tls } = endpoint;
      const leaf = tls.chain[0];
      if (!leaf) continue;
      const name = endpointName(endpoint);
      const certEvidence = (cert: CertificateSummary) => ({
        subject: cert.subject,
        issuer: cert.issuer,
        validTo: cert.validTo,
        fingerprint256: cert.fingerprint256,
      });
      const expired = tls.chain.find((cert) => cert.notAfter <= triage.collectedAt);
      if (expired) {
        findings.push(
          endpointFinding(endpoint, {
            key: 'expiry',
            title: `TLS certificate on ${name} expired on ${expired.validTo}${expired === leaf ? '' : ' (a certificate in its chain)'}`,
            severity: 'critical',
            evidence: { ...certEvidence(expired), daysLeft: Math.floor((expired.notAfter - triage.collectedAt) / DAY) },
          }),
        );
      } else {
        const daysLeft = Math.floor((leaf.notAfter - triage.collectedAt) / DAY);
        const severity: Severity | undefined =
          daysLeft < opts.expiryDays.high ? 'high' : daysLeft < opts.expiryDays.medium ? 'medium' : daysLeft < opts.expiryDays.low ? 'low' : undefined;
        if (severity) {
          findings.push(
            endpointFinding(endpoint, { key: 'expiry', title: `TLS certificate on ${name} expires in ${daysLeft} day(s)`, severity, evidence: { ...certEvidence(leaf), daysLeft } }),
          );
        }
      }
      if (tls.hostnameError) {
        findings.push(
          endpointFinding(endpoint, {
            key: 'hostname',
            title: `TLS certificate on ${name} does not cover ${tls.servername}`,
            severity: 'high',
            evidence: { ...certEvidence(leaf), servername: tls.servername ?? null, subjectAltName: leaf.subjectAltName ?? null, reason: tls.hostnameError },
          }),
        );
      }
      if (opts.reportUntrusted && tls.verifyError && UNTRUSTED.has(tls.verifyError)) {
        const selfSigned = tls.verifyError === 'DEPTH_ZERO_SELF_SIGNED_CERT';
        findings.push(
          endpointFinding(endpoint, {
            key: 'untrusted',
            title: `TLS certificate on ${name} is ${selfSigned ? 'self-signed' : `not verifiable against a trusted CA (${tls.verifyError})`}`,
            severity: 'medium',
            evidence: { ...certEvidence(leaf), verifyError: tls.verifyError },
          }),
        );
      }
      const weak = tls.chain.filter(
        (cert) => cert.keyBits !== undefined && ((cert.keyType === 'rsa' && cert.keyBits < opts.minRsaBits) || (cert.keyType === 'ec' && cert.keyBits < opts.minEcBits)),
      );
      if (weak.length > 0) {
        findings.push(
          endpointFinding(endpoint, {
            key: 'weak-key',
            title: `TLS certificate on ${name} uses a weak key (${weak.map((cert) => `${cert.keyType.toUpperCase()} ${cert.keyBits}`).join(', ')})`,
            severity: weak.some((cert) => cert.keyType === 'rsa' && (cert.keyBits ?? 0) < 1024) ? 'critical' : 'high',
            evidence: { weak: weak.map((cert) => ({ subject: cert.subject, keyType: cert.keyType, keyBits: cert.keyBits ?? null })) },
          }),
        );
      }
    }
    return findings;
  },
});
