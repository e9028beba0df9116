import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { handOffArtifact } from '../../../../checks/deps/collect/handoff.js';
import { readArtifact } from '../../../../checks/deps/parse/artifact.js';
import { parseOsvRecord } from '../../../../checks/deps/osv/schema.js';
import { upsertAdvisories } from '../../../../checks/deps/store/advisory-store.js';
import { openStore, type Db } from '../../../../src/store/db.js';
import { useTempDir } from '../../../builders/temp-dir.js';
import { buildTar, buildTarball } from '../support/tar.js';
import { buildZip } from '../support/zip.js';
import { osv } from '../support/fixtures.js';

const tempDir = useTempDir('vigil-deps-image-');
const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

const stanza = (fields: Record<string, string>) => Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('\n');
const dpkgStatus = [
  stanza({ Package: 'libssl3', Status: 'install ok installed', Architecture: 'amd64', Source: 'openssl', Version: '3.0.9-1' }),
  stanza({ Package: 'openssl', Status: 'install ok installed', Architecture: 'amd64', Version: '3.0.9-1' }),
  stanza({ Package: 'zlib1g', Status: 'install ok installed', Architecture: 'amd64', Source: 'zlib (1:1.2.13.dfsg-1)', Version: '1:1.2.13.dfsg-1+b1' }),
  stanza({ Package: 'old-tool', Status: 'deinstall ok config-files', Architecture: 'amd64', Version: '1.0-1' }),
].join('\n\n');

/** `docker save` layout: manifest.json naming layer tars in order, base first. */
function debianImage(): Buffer {
  const base = buildTarball([
    { name: 'etc/', type: '5' },
    { name: 'etc/os-release', type: '2', linkname: '../usr/lib/os-release' },
    { name: 'usr/lib/os-release', content: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n' },
    { name: 'var/lib/dpkg/status', content: dpkgStatus },
    { name: 'app/old/package-lock.json', content: JSON.stringify({ lockfileVersion: 3, packages: { '': {}, 'node_modules/left-pad': { version: '1.0.0' } } }) },
    { name: 'opt/lib/Pipfile.lock', content: JSON.stringify({ default: { urllib3: { version: '==1.26.0' } } }) },
    { name: 'usr/share/java/app.jar', content: buildZip([{ name: 'META-INF/maven/org.yaml/snakeyaml/pom.properties', content: 'groupId=org.yaml\nartifactId=snakeyaml\nversion=1.33\n' }]) },
    { name: `usr/lib/python3/dist-packages/${'very-long-directory-name-'.repeat(4)}/requests-2.31.0.dist-info/METADATA`, content: 'Name: requests\nVersion: 2.31.0\n' },
    { name: 'usr/share/doc/METADATA', content: 'not a python distribution' },
  ]);
  // Upper layer: deletes app/old (whiteout), hides everything below in opt/lib (opaque) but adds its own file there.
  const upper = buildTar([
    { name: 'app/.wh.old', content: '' },
    { name: 'opt/lib/.wh..wh..opq', content: '' },
    { name: 'opt/lib/requirements.txt', content: 'flask==2.0.0\n' },
  ]);
  return buildTar([
    { name: 'manifest.json', content: JSON.stringify([{ Config: 'config.json', RepoTags: ['web:1.0'], Layers: ['l1/layer.tar', 'l2/layer.tar'] }]) },
    { name: 'config.json', content: '{}' },
    { name: 'l1/layer.tar', content: base },
    { name: 'l2/layer.tar', content: upper },
  ]);
}

/** OCI image layout: index.json → manifest blob → layer blobs by digest. */
function alpineImage(): Buffer {
  const layer = buildTarball([
    { name: 'etc/alpine-release', content: '3.18.4\n' },
    {
      name: 'lib/apk/db/installed',
      content: 'C:Q1abc=\nP:musl\nV:1.2.4-r1\nA:x86_64\no:musl\n\nC:Q1def=\nP:libcrypto3\nV:3.1.3-r0\nA:x86_64\no:openssl\n\nP:libssl3\nV:3.1.3-r0\no:openssl\n',
    },
  ]);
  const digest = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: digest(layer) }] }));
  const blob = (bytes: Buffer) => ({ name: `blobs/${digest(bytes).replace(':', '/')}`, content: bytes });
  return buildTar([
    { name: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' },
    { name: 'index.json', content: JSON.stringify({ schemaVersion: 2, manifests: [{ digest: digest(manifest), platform: { os: 'linux', architecture: 'amd64' } }] }) },
    blob(manifest),
    blob(layer),
  ]);
}

const listed = (files: { path: string; components: readonly { ecosystem: string; name: string; version: string; purl: string }[] }[]) =>
  files.flatMap((f) => f.components.map((c) => `${c.ecosystem} ${c.name}@${c.version} <- ${f.path}`)).sort();

describe('container image archives', () => {
  it('docker save: layers applied in order with whiteouts and opaque directories; dpkg packages under their source for the os-release', async () => {
    const parsed = await readArtifact([{ path: 'web-1.0.tar', bytes: debianImage() }]);
    expect(parsed.errors).toEqual([]);
    expect(listed(parsed.files as never)).toEqual([
      'Debian:12 openssl@3.0.9-1 <- web-1.0.tar!/var/lib/dpkg/status',
      'Debian:12 zlib@1:1.2.13.dfsg-1 <- web-1.0.tar!/var/lib/dpkg/status',
      'Maven org.yaml:snakeyaml@1.33 <- web-1.0.tar!/usr/share/java/app.jar!/META-INF/maven/org.yaml/snakeyaml/pom.properties',
      'PyPI flask@2.0.0 <- web-1.0.tar!/opt/lib/requirements.txt',
      `PyPI requests@2.31.0 <- web-1.0.tar!/usr/lib/python3/dist-packages/${'very-long-directory-name-'.repeat(4)}/requests-2.31.0.dist-info/METADATA`,
    ]);
    const openssl = parsed.files[0]!.components.find((c) => c.name === 'openssl')!;
    // Two binaries of one source at one version are one component; the first binary names the purl and path.
    expect(openssl).toMatchObject({ purl: 'pkg:deb/debian/libssl3@3.0.9-1?arch=amd64&distro=debian-12', path: ['libssl3'], direct: true });
  });

  it('OCI layout: the apk database under origin packages, Alpine release from alpine-release; another distribution is named, not matched', async () => {
    const parsed = await readArtifact([{ path: 'edge.tar', bytes: alpineImage() }]);
    expect(listed(parsed.files as never)).toEqual(['Alpine:v3.18 musl@1.2.4-r1 <- edge.tar!/lib/apk/db/installed', 'Alpine:v3.18 openssl@3.1.3-r0 <- edge.tar!/lib/apk/db/installed']);
    const mint = buildTar([
      { name: 'manifest.json', content: JSON.stringify([{ Layers: ['l/layer.tar'] }]) },
      { name: 'l/layer.tar', content: buildTar([{ name: 'etc/os-release', content: 'ID=linuxmint\nVERSION_ID="21.2"\n' }, { name: 'var/lib/dpkg/status', content: dpkgStatus }]) },
    ]);
    const other = await readArtifact([{ path: 'mint.tar', bytes: mint }, { path: 'broken.tar', bytes: buildTar([{ name: 'manifest.json', content: JSON.stringify([{ Layers: ['missing.tar'] }]) }]) }]);
    expect(other.files).toEqual([]);
    expect(other.errors).toEqual([
      { path: 'mint.tar!/var/lib/dpkg/status', reason: 'dpkg database of linuxmint: only Debian and Ubuntu releases are matched' },
      { path: 'broken.tar', reason: 'unreadable archive: layer missing.tar is missing from the image archive' },
    ]);
  });

  it('a plain tar is opened for the lockfiles inside; an npm tarball yields its bundled dependencies', async () => {
    const plain = buildTar([{ name: 'release/Cargo.lock', content: '[[package]]\nname = "time"\nversion = "0.1.43"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n' }]);
    const npm = buildTarball([
      { name: 'package/package.json', content: '{"name":"cli","version":"1.0.0","bundleDependencies":["ms"]}' },
      { name: 'package/node_modules/ms/package.json', content: '{"name":"ms","version":"2.0.0"}' },
      { name: 'package/node_modules/@scope/x/package.json', content: '{"name":"@scope/x","version":"1.2.3"}' },
      { name: 'package/node_modules/@scope/x/node_modules/debug/package.json', content: '{"name":"debug","version":"2.6.8"}' },
    ]);
    const parsed = await readArtifact([{ path: 'src.tar', bytes: plain }, { path: 'cli-1.0.0.tgz', bytes: npm }]);
    expect(parsed.files.flatMap((f) => f.components.map((c) => `${c.name}@${c.version} ${c.direct ? 'direct' : c.path.join('>')} <- ${f.path}`)).sort()).toEqual([
      '@scope/x@1.2.3 direct <- cli-1.0.0.tgz!/package/node_modules',
      'debug@2.6.8 @scope/x>debug <- cli-1.0.0.tgz!/package/node_modules',
      'ms@2.0.0 direct <- cli-1.0.0.tgz!/package/node_modules',
      'time@0.1.43 time <- src.tar!/release/Cargo.lock',
    ]);
  });

  it('an image handed off from CI is matched at once against its own release records only', async () => {
    const dir = tempDir();
    const db = openStore(join(dir, 'ledger.db'));
    open.push(db);
    const advisory = (id: string, ecosystem: string, name: string, fixed: string) => parseOsvRecord(osv({ id, ecosystem, name, type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }));
    upsertAdvisories(db, 'osv', [
      advisory('DSA-5532-1', 'Debian:12', 'openssl', '3.0.11-1~deb12u2'),
      advisory('DSA-9999-1', 'Debian:11', 'zlib', '1:9.9-1'),
      advisory('ALPINE-CVE-2023-5363', 'Alpine:v3.18', 'openssl', '3.1.4-r0'),
      advisory('ALPINE-CVE-2099-1', 'Alpine:v3.19', 'musl', '1.2.4-r9'),
    ], 1);
    const image = join(dir, 'web-1.0.tar');
    writeFileSync(image, debianImage());
    const alpine = join(dir, 'edge.tar');
    writeFileSync(alpine, alpineImage());
    expect(await handOffArtifact(db, { source: 'ci', name: 'web', version: '1.0', files: [image] }, 2)).toMatchObject({ outcome: 'added', vulnerable: 1 });
    expect(await handOffArtifact(db, { source: 'ci', name: 'edge', version: '1.0', files: [alpine] }, 3)).toMatchObject({ outcome: 'added', vulnerable: 1 });
    const matched = db.prepare('SELECT p.ecosystem, p.name, m.advisory_id AS id FROM deps_package_matches m JOIN deps_packages p ON p.id = m.package_id ORDER BY id').all();
    expect(matched).toEqual([
      { ecosystem: 'Alpine:v3.18', name: 'openssl', id: 'ALPINE-CVE-2023-5363' },
      { ecosystem: 'Debian:12', name: 'openssl', id: 'DSA-5532-1' },
    ]);
  });
});
