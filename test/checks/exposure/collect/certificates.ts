import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export interface KeyPair {
  readonly key: Buffer;
  readonly cert: Buffer;
}

const DAY = 86_400_000;

/** openssl's `YYYYMMDDHHMMSSZ`. */
function asn1Time(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');
}

/**
 * Certificates made with the openssl CLI at test time: a lab CA, leaves it signs with any validity window (`openssl ca`
 * takes -startdate/-enddate, so expired certificates need no clock tricks), and self-signed ones.
 */
export function useCertificateLab() {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-tls-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj', '/CN=Vigil Lab CA', '-keyout', 'ca.key', '-out', 'ca.pem');
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  writeFileSync(
    join(dir, 'ca.cnf'),
    [
      '[ ca ]',
      'default_ca = lab',
      '[ lab ]',
      `database = ${join(dir, 'index.txt')}`,
      `new_certs_dir = ${dir}`,
      `serial = ${join(dir, 'serial')}`,
      'default_md = sha256',
      'policy = any',
      'copy_extensions = copy',
      'unique_subject = no',
      '[ any ]',
      'commonName = supplied',
      '',
    ].join('\n'),
  );
  let count = 0;
  return {
    caFile: join(dir, 'ca.pem'),
    /** A leaf for `name` signed by the lab CA, valid from `fromDays` to `toDays` relative to now. */
    signed(name: string, fromDays: number, toDays: number, bits = 2048): KeyPair {
      const id = `leaf${++count}`;
      run('req', '-newkey', `rsa:${bits}`, '-nodes', '-subj', `/CN=${name}`, '-addext', `subjectAltName=DNS:${name}`, '-keyout', `${id}.key`, '-out', `${id}.csr`);
      run('ca', '-batch', '-config', 'ca.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-in', `${id}.csr`, '-out', `${id}.pem`, '-startdate', asn1Time(Date.now() + fromDays * DAY), '-enddate', asn1Time(Date.now() + toDays * DAY), '-notext');
      return { key: readFileSync(join(dir, `${id}.key`)), cert: readFileSync(join(dir, `${id}.pem`)) };
    },
    selfSigned(name: string, days: number, bits = 2048): KeyPair {
      const id = `self${++count}`;
      run('req', '-x509', '-newkey', `rsa:${bits}`, '-nodes', '-days', String(days), '-subj', `/CN=${name}`, '-addext', `subjectAltName=DNS:${name}`, '-keyout', `${id}.key`, '-out', `${id}.pem`);
      return { key: readFileSync(join(dir, `${id}.key`)), cert: readFileSync(join(dir, `${id}.pem`)) };
    },
  };
}
