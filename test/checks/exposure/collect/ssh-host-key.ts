import ssh2 from 'ssh2';

/**
 * An ed25519 host key ssh2's own server accepts. ssh2's generateKeyPairSync('ed25519') writes a key its parser
 * rejects ("Malformed OpenSSH private key") about once in 200 calls (16 of 3,000 measured), which made tests that
 * start an SSH server fail at random; a rejected key is simply generated again.
 */
export function sshHostKey(): string {
  for (;;) {
    const key = ssh2.utils.generateKeyPairSync('ed25519').private;
    if (!(ssh2.utils.parseKey(key) instanceof Error)) return key;
  }
}
