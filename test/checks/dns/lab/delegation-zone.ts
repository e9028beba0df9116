import type { LabSpec } from './takeover-lab.js';

/** NS record sets covering every server behaviour; the emulators below live on 127.0.1.x. */
export const DELEGATION_ZONE = `$ORIGIN deleg.test.
@     NS ns1.good.test.
shop  NS ns-1.awsdns-01.org.
shop  NS ns-2.awsdns-02.net.
blog  NS ns1.good.test.
dev   NS ns1.good.test.
dev   NS ns-3.awsdns-03.com.
old   NS ns1.expired-dns.test.
svc   NS ns1.other.test.
svc   NS ns2.other.test.
mixed NS ns1.good.test.
mixed NS ns1.silent.test.
www   A  192.0.2.80
`;

export const SILENT_ZONE = `$ORIGIN quiet.test.
slow NS ns1.silent.test.
slow NS ns-3.awsdns-03.com.
`;

export const DELEGATION_LAB: LabSpec = {
  names: {
    'ns1.good.test': { A: ['127.0.1.1'] },
    'ns-1.awsdns-01.org': { A: ['127.0.1.2'] },
    'ns-2.awsdns-02.net': { A: ['127.0.1.3'] },
    'ns-3.awsdns-03.com': { A: ['127.0.1.3'] },
    'ns1.other.test': { A: ['127.0.1.4'] },
    'ns2.other.test': { A: ['127.0.1.5'] },
    'ns1.silent.test': { A: ['127.0.1.6'] },
  },
  nameservers: [
    { address: '127.0.1.1', behaviour: 'authoritative', zones: ['deleg.test', 'blog.deleg.test', 'dev.deleg.test', 'mixed.deleg.test'] },
    { address: '127.0.1.2', behaviour: 'refused', zones: [] },
    { address: '127.0.1.3', behaviour: 'refused', zones: [] },
    { address: '127.0.1.4', behaviour: 'servfail', zones: [] },
    { address: '127.0.1.5', behaviour: 'not-authoritative', zones: ['svc.deleg.test'] },
    { address: '127.0.1.6', behaviour: 'drop', zones: [] },
  ],
};
