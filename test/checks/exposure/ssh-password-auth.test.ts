import check from '../../../checks/exposure/ssh-password-auth.js';
import type { AnyCheck } from '../../../src/check-api/types.js';
import { checkTester } from '../../support/check-tester.js';
import { endpoint, inventory, partialCollected, target } from './inventory-builder.js';

const ssh = (port: number, methods: string[], noneAccepted = false, address = '10.0.0.5') =>
  endpoint({ address, port, service: 'ssh', banner: 'SSH-2.0-OpenSSH_9.2p1', ssh: { software: 'OpenSSH_9.2p1', methods, noneAccepted } });

checkTester(check as unknown as AnyCheck, {
  pass: [
    { name: 'public key only', options: target, inventory: inventory(ssh(22, ['publickey'])) },
    { name: 'no ssh endpoints at all', options: target, inventory: inventory(endpoint({ port: 80, service: 'http' })) },
  ],
  fail: [
    {
      name: 'password and keyboard-interactive offered',
      options: target,
      inventory: inventory(ssh(22, ['keyboard-interactive', 'password', 'publickey']), ssh(2222, ['publickey'])),
      findings: [{ resourceId: '10.0.0.5:22', severity: 'medium', scope: 'host:10.0.0.5', title: 'offers keyboard-interactive and password authentication' }],
    },
    {
      name: 'password on a publicly routable address is high; internalSeverity applies to private ones',
      options: { hosts: ['192.0.2.0/24', '10.0.0.0/28'], internalSeverity: 'low' },
      inventory: inventory(ssh(22, ['password', 'publickey'], false, '8.8.8.8'), ssh(22, ['password'], false, '10.0.0.9'), ssh(2222, ['keyboard-interactive'], false, 'fd00::5')),
      findings: [
        { resourceId: '8.8.8.8:22', severity: 'high' },
        { resourceId: '10.0.0.9:22', severity: 'low' },
        { resourceId: '[fd00::5]:2222', severity: 'low' },
      ],
    },
    {
      name: 'none accepted is critical, IPv6 bracketed',
      options: { hosts: ['2001:db8::1'] },
      inventory: inventory(ssh(22, [], true, '2001:db8::1')),
      findings: [{ resourceId: '[2001:db8::1]:22', severity: 'critical', title: 'without authentication' }],
    },
  ],
  partial: [{ name: 'an ssh probe that timed out', options: target, collected: partialCollected('ssh: no authentication answer within 2000 ms', ssh(22, ['publickey'])), failedScopes: ['host:10.0.0.6'] }],
});
