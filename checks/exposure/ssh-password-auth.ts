import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { defineCheck } from '../../src/check-api/define-check.js';
import type { FindingInput } from '../../src/check-api/types.js';
import { triageCollector } from './collect/triage-collector.js';
import { endpointFinding, endpointName, endpointsWith, exposurePreflight } from './endpoint-finding.js';
import { exposureCliTarget, exposureOptions } from './options.js';

const PASSWORD_METHODS = ['password', 'keyboard-interactive'];

/** Publicly routable: what the internet can reach if nothing filters it (documentation ranges count as public). */
export function isInternetFacing(address: string): boolean {
  const range = ipaddr.parse(address).range();
  return range === 'unicast' || range === 'reserved' || range === '6to4' || range === 'teredo';
}

export default defineCheck({
  id: 'exposure.ssh-password-auth',
  title: 'SSH servers accept only public-key authentication',
  area: 'exposure',
  severity: 'high',
  description:
    'Asks every SSH server the sweep finds which authentication methods it offers (an SSH `none` attempt, never a ' +
    'password guess). Password or keyboard-interactive logins invite credential stuffing and brute force: high on a ' +
    'publicly routable address, `internalSeverity` (medium) on private, loopback and link-local ones; a server that ' +
    'accepts `none` lets anyone in (critical).',
  remediation:
    'Set `PasswordAuthentication no` and `KbdInteractiveAuthentication no` in sshd_config (and check Match blocks), ' +
    'reload sshd, and distribute keys or short-lived SSH certificates instead.',
  references: [
    { framework: 'cwe', control: 'CWE-307', title: 'Improper restriction of excessive authentication attempts' },
    { framework: 'mitre-attack', control: 'T1110', title: 'Brute force' },
    { framework: 'cis-controls', version: '8', control: '6.5', title: 'Require MFA for administrative access' },
  ],
  options: exposureOptions({ internalSeverity: z.enum(['info', 'low', 'medium', 'high']).default('medium') }),
  cliTarget: exposureCliTarget,
  preflight: exposurePreflight,
  needs: { triage: triageCollector(['ssh']) },
  evaluate({ triage }, options) {
    const findings: FindingInput[] = [];
    for (const endpoint of endpointsWith(triage.endpoints, 'ssh')) {
      const { ssh } = endpoint;
      const evidence = { software: ssh.software, methods: [...ssh.methods], banner: endpoint.banner };
      if (ssh.noneAccepted) {
        findings.push(endpointFinding(endpoint, { title: `SSH on ${endpointName(endpoint)} lets anyone in without authentication`, severity: 'critical', evidence }));
        continue;
      }
      const offered = ssh.methods.filter((method) => PASSWORD_METHODS.includes(method));
      if (offered.length === 0) continue;
      const internetFacing = isInternetFacing(endpoint.address);
      findings.push(
        endpointFinding(endpoint, {
          title: `SSH on ${endpointName(endpoint)} offers ${offered.join(' and ')} authentication`,
          severity: internetFacing ? 'high' : options.internalSeverity,
          evidence: { ...evidence, internetFacing },
        }),
      );
    }
    return findings;
  },
});
