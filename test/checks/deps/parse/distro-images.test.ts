import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { handOffArtifact } from '../../../../checks/deps/collect/handoff.js';
import { readArtifact } from '../../../../checks/deps/parse/artifact.js';
import { parseRpmHeader, readRpmSqlite } from '../../../../checks/deps/parse/rpmdb.js';
import { parseOsvRecord } from '../../../../checks/deps/osv/schema.js';
import { upsertAdvisories } from '../../../../checks/deps/store/advisory-store.js';
import { openStore, type Db } from '../../../../src/store/db.js';
import { useTempDir } from '../../../builders/temp-dir.js';
import { osv } from '../support/fixtures.js';
import { buildRpmHeader, buildRpmSqlite, type RpmSpec } from '../support/rpmdb.js';
import { buildTar, buildTarball, type TarSpec } from '../support/tar.js';

const tempDir = useTempDir('vigil-deps-distro-');
const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

/** `docker save` layout with one layer per entry list, base first. */
function dockerSave(...layers: TarSpec[][]): Buffer {
  const names = layers.map((_, i) => `l${i}/layer.tar`);
  return buildTar([
    { name: 'manifest.json', content: JSON.stringify([{ Config: 'config.json', Layers: names }]) },
    { name: 'config.json', content: '{}' },
    ...layers.map((layer, i) => ({ name: names[i]!, content: buildTarball(layer) })),
  ]);
}

const stanza = (fields: Record<string, string>) => Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('\n');
const installed = 'install ok installed';

function ubuntuImage(versionId = '22.04'): Buffer {
  const status = [
    stanza({ Package: 'libssl3', Status: installed, Architecture: 'amd64', Source: 'openssl', Version: '3.0.2-0ubuntu1.10' }),
    stanza({ Package: 'zlib1g', Status: installed, Architecture: 'amd64', Source: 'zlib', Version: '1:1.2.11.dfsg-2ubuntu9.2' }),
    stanza({ Package: 'tar', Status: installed, Architecture: 'amd64', Version: '1.34+dfsg-1ubuntu0.1.22.04.1' }),
    // Installed from ESM (esm-apps): only Ubuntu Pro records describe this build.
    stanza({ Package: 'libvips42', Status: installed, Architecture: 'amd64', Source: 'vips', Version: '8.12.1-1ubuntu0.1~esm1' }),
  ].join('\n\n');
  return dockerSave([
    { name: 'etc/os-release', content: `NAME="Ubuntu"\nVERSION_ID="${versionId}"\nVERSION="${versionId}.4 LTS (Jammy Jellyfish)"\nID=ubuntu\nID_LIKE=debian\n` },
    { name: 'var/lib/dpkg/status', content: status },
  ]);
}

function apkImage(id: string): Buffer {
  return dockerSave([
    { name: 'etc/os-release', content: `ID=${id}\nNAME="${id}"\nVERSION_ID=20230201\n` },
    { name: 'lib/apk/db/installed', content: 'P:libcrypto3\nV:3.1.4-r0\nA:x86_64\no:openssl\n\nP:busybox\nV:1.36.1-r2\nA:x86_64\no:busybox\n' },
  ]);
}

const EL9: RpmSpec[] = [
  { name: 'openssl-libs', epoch: 1, version: '3.0.7', release: '24.el9', arch: 'x86_64', sourceRpm: 'openssl-3.0.7-24.el9.src.rpm' },
  { name: 'openssl', epoch: 1, version: '3.0.7', release: '24.el9', arch: 'x86_64', sourceRpm: 'openssl-3.0.7-24.el9.src.rpm' },
  { name: 'curl-minimal', version: '7.76.1', release: '26.el9', arch: 'x86_64', sourceRpm: 'curl-7.76.1-26.el9.src.rpm' },
  { name: 'libcurl-minimal', version: '7.76.1', release: '26.el9', arch: 'x86_64', sourceRpm: 'curl-7.76.1-26.el9.src.rpm' },
  { name: 'bash', epoch: 0, version: '5.1.8', release: '6.el9', arch: 'x86_64', sourceRpm: 'bash-5.1.8-6.el9.src.rpm' },
  { name: 'gpg-pubkey', version: '350d275d', release: '6279464b' },
];

function rpmImage(dir: string, osRelease: string, rpmdbPath = 'var/lib/rpm/rpmdb.sqlite', packages = EL9, pending: RpmSpec[] = []): Buffer {
  const { database, wal } = buildRpmSqlite(dir, packages, pending);
  return dockerSave(
    [
      { name: 'etc/os-release', content: osRelease },
      { name: rpmdbPath, content: database },
      ...(wal ? [{ name: `${rpmdbPath}-wal`, content: wal }] : []),
    ],
    // A later layer that touches nothing of rpm's: the database of the final filesystem is still the base's.
    [{ name: 'app/run.sh', content: '#!/bin/sh\n' }],
  );
}

const listed = (files: readonly { path: string; components: readonly { ecosystem: string; name: string; version: string }[] }[]) =>
  files.flatMap((f) => f.components.map((c) => `${c.ecosystem} ${c.name}@${c.version}`)).sort();

const record = (id: string, entries: { ecosystem: string; name: string; fixed?: string; versions?: string[] }[]) =>
  parseOsvRecord({
    ...osv({ id, ecosystem: entries[0]!.ecosystem, name: entries[0]!.name, type: 'ECOSYSTEM', events: [] }),
    affected: entries.map((e) => ({
      package: { ecosystem: e.ecosystem, name: e.name },
      // An entry with only a versions list has no range (a bare `introduced: 0` would affect every version).
      ranges: e.versions && !e.fixed ? [] : [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, ...(e.fixed ? [{ fixed: e.fixed }] : [])] }],
      ...(e.versions ? { versions: e.versions } : {}),
    })),
  });

/** Hands each image off as its own artifact and returns `ecosystem name <- advisory` for every match. */
async function matchImages(images: Record<string, Buffer>, records: ReturnType<typeof record>[]): Promise<string[]> {
  const dir = tempDir();
  const db = openStore(join(dir, 'ledger.db'));
  open.push(db);
  upsertAdvisories(db, 'osv', records, 1);
  let now = 2;
  for (const [name, bytes] of Object.entries(images)) {
    const file = join(dir, `${name}.tar`);
    writeFileSync(file, bytes);
    expect(await handOffArtifact(db, { source: 'ci', name, version: '1.0', files: [file] }, now++)).toMatchObject({ outcome: 'added' });
  }
  const rows = db
    .prepare('SELECT p.ecosystem, p.name, p.version, m.advisory_id AS id FROM deps_package_matches m JOIN deps_packages p ON p.id = m.package_id ORDER BY m.advisory_id, p.name')
    .all() as { ecosystem: string; name: string; version: string; id: string }[];
  return rows.map((r) => `${r.ecosystem} ${r.name}@${r.version} <- ${r.id}`);
}

describe('Ubuntu images', () => {
  it('dpkg packages become Ubuntu:<YY.MM>:LTS components of their source; ESM builds belong to the Pro stream', async () => {
    const parsed = await readArtifact([{ path: 'jammy.tar', bytes: ubuntuImage() }]);
    expect(parsed.errors).toEqual([]);
    expect(listed(parsed.files)).toEqual([
      'Ubuntu:22.04:LTS openssl@3.0.2-0ubuntu1.10',
      'Ubuntu:22.04:LTS tar@1.34+dfsg-1ubuntu0.1.22.04.1',
      'Ubuntu:22.04:LTS zlib@1:1.2.11.dfsg-2ubuntu9.2',
      'Ubuntu:Pro:22.04:LTS vips@8.12.1-1ubuntu0.1~esm1',
    ]);
    expect(parsed.files[0]!.components.find((c) => c.name === 'openssl')!.purl).toBe('pkg:deb/ubuntu/libssl3@3.0.2-0ubuntu1.10?arch=amd64&distro=ubuntu-22.04');
    // An interim release has no :LTS suffix and no Pro stream.
    const oracular = await readArtifact([{ path: 'oracular.tar', bytes: ubuntuImage('24.10') }]);
    expect(new Set(oracular.files[0]!.components.map((c) => c.ecosystem))).toEqual(new Set(['Ubuntu:24.10']));
  });

  it('matches only its own release: never a 20.04, 24.04 or Debian record; Pro records only for ESM builds', async () => {
    const matches = await matchImages({ jammy: ubuntuImage() }, [
      record('UBUNTU-CVE-2099-0001', [
        { ecosystem: 'Ubuntu:22.04:LTS', name: 'openssl', fixed: '3.0.2-0ubuntu1.12' },
        { ecosystem: 'Ubuntu:20.04:LTS', name: 'openssl', fixed: '1.1.1f-1ubuntu2.20' },
      ]),
      // Same source name and a fix above the image's version, but another release or distribution: no match.
      record('UBUNTU-CVE-2099-0002', [{ ecosystem: 'Ubuntu:20.04:LTS', name: 'openssl', fixed: '9.9-1' }]),
      record('UBUNTU-CVE-2099-0003', [{ ecosystem: 'Ubuntu:24.04:LTS', name: 'zlib', fixed: '1:9.9-1' }]),
      record('DSA-9999-1', [{ ecosystem: 'Debian:12', name: 'openssl', fixed: '9.9-1' }]),
      record('DSA-9999-2', [{ ecosystem: 'Debian:11', name: 'zlib', fixed: '1:9.9-1' }]),
      // A fix shipped only through ESM does not apply to the archive's tar the image has.
      record('UBUNTU-CVE-2099-0004', [{ ecosystem: 'Ubuntu:Pro:22.04:LTS', name: 'tar', fixed: '1.34+dfsg-1ubuntu0.1.22.04.2+esm1' }]),
      // vips: the plain record (no fix, listed version) is not about the ESM build; the Pro records are.
      record('UBUNTU-CVE-2099-0005', [
        { ecosystem: 'Ubuntu:22.04:LTS', name: 'vips', versions: ['8.12.1-1'] },
        { ecosystem: 'Ubuntu:Pro:22.04:LTS', name: 'vips', fixed: '8.12.1-1ubuntu0.1~esm1' },
      ]),
      record('UBUNTU-CVE-2099-0006', [{ ecosystem: 'Ubuntu:Pro:22.04:LTS', name: 'vips', fixed: '8.12.1-1ubuntu0.1~esm2' }]),
      record('UBUNTU-CVE-2099-0007', [{ ecosystem: 'Ubuntu:22.04:LTS', name: 'vips', fixed: '9.0-1' }]),
    ]);
    expect(matches).toEqual(['Ubuntu:22.04:LTS openssl@3.0.2-0ubuntu1.10 <- UBUNTU-CVE-2099-0001', 'Ubuntu:Pro:22.04:LTS vips@8.12.1-1ubuntu0.1~esm1 <- UBUNTU-CVE-2099-0006']);
  });

  it('an Ubuntu image without a numbered VERSION_ID is reported, not matched as some release', async () => {
    const parsed = await readArtifact([{ path: 'devel.tar', bytes: ubuntuImage('devel') }]);
    expect(parsed.files).toEqual([]);
    expect(parsed.errors).toEqual([{ path: 'devel.tar!/var/lib/dpkg/status', reason: "dpkg database of ubuntu without a numbered VERSION_ID ('devel'): Ubuntu records are per release" }]);
  });
});

describe('Wolfi and Chainguard images', () => {
  it('apk packages under their origin, in the rolling Wolfi or Chainguard ecosystem, matched only against it', async () => {
    const parsed = await readArtifact([{ path: 'wolfi.tar', bytes: apkImage('wolfi') }]);
    expect(parsed.errors).toEqual([]);
    expect(listed(parsed.files)).toEqual(['Wolfi busybox@1.36.1-r2', 'Wolfi openssl@3.1.4-r0']);
    expect(parsed.files[0]!.components.find((c) => c.name === 'openssl')!.purl).toBe('pkg:apk/wolfi/libcrypto3@3.1.4-r0?arch=x86_64');
    const matches = await matchImages({ wolfi: apkImage('wolfi'), chainguard: apkImage('chainguard') }, [
      record('CGA-0001', [{ ecosystem: 'Wolfi', name: 'openssl', fixed: '3.1.4-r1' }]),
      record('CGA-0002', [{ ecosystem: 'Chainguard', name: 'busybox', fixed: '1.36.1-r5' }]),
      record('CGA-0003', [{ ecosystem: 'Wolfi', name: 'busybox', fixed: '1.36.1-r2' }]),
      record('ALPINE-CVE-2099-1', [{ ecosystem: 'Alpine:v3.18', name: 'openssl', fixed: '3.1.9-r0' }]),
    ]);
    expect(matches).toEqual(['Wolfi openssl@3.1.4-r0 <- CGA-0001', 'Chainguard busybox@1.36.1-r2 <- CGA-0002']);
  });
});

describe('rpm images (rpmdb.sqlite)', () => {
  const rocky = 'NAME="Rocky Linux"\nVERSION="9.3 (Blue Onyx)"\nID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.3"\n';
  const alma = 'NAME="AlmaLinux"\nID="almalinux"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.3"\n';

  it('reads rpm header blobs: binary packages by name, a source package with no binary of its name, [epoch:]version-release', async () => {
    const parsed = await readArtifact([{ path: 'rocky.tar', bytes: rpmImage(tempDir(), rocky) }]);
    expect(parsed.errors).toEqual([]);
    expect(parsed.files.map((f) => [f.path, f.format])).toEqual([['rocky.tar!/var/lib/rpm/rpmdb.sqlite', 'rpmdb-sqlite']]);
    expect(listed(parsed.files)).toEqual([
      'Rocky Linux:9 bash@5.1.8-6.el9',
      'Rocky Linux:9 curl-minimal@7.76.1-26.el9',
      'Rocky Linux:9 curl@7.76.1-26.el9',
      'Rocky Linux:9 libcurl-minimal@7.76.1-26.el9',
      'Rocky Linux:9 openssl-libs@1:3.0.7-24.el9',
      'Rocky Linux:9 openssl@1:3.0.7-24.el9',
    ]);
    const curl = parsed.files[0]!.components.find((c) => c.name === 'curl')!;
    expect(curl).toMatchObject({ path: ['curl-minimal'], purl: 'pkg:rpm/rocky/curl-minimal@7.76.1-26.el9?arch=x86_64&upstream=curl-7.76.1-26.el9.src.rpm&distro=rocky-9' });
  });

  it('matches Rocky and Alma images against their own major release only, binary or source names, epochs honoured', async () => {
    const matches = await matchImages({ rocky: rpmImage(tempDir(), rocky), alma: rpmImage(tempDir(), alma, 'usr/lib/sysimage/rpm/rpmdb.sqlite') }, [
      record('RLSA-2099:0001', [{ ecosystem: 'Rocky Linux:9', name: 'openssl', fixed: '1:3.0.7-25.el9' }]),
      // Source-named record (curl) meets curl-minimal through its source component; Rocky writes the zero epoch.
      record('RLSA-2099:0002', [{ ecosystem: 'Rocky Linux:9', name: 'curl', fixed: '0:7.76.1-26.el9_3.2' }]),
      record('RLSA-2099:0003', [{ ecosystem: 'Rocky Linux:8', name: 'bash', fixed: '9.9-1.el8' }]),
      // Epoch 1 beats any epoch-0 version: the image's openssl 1:3.0.7 is newer than 3.0.9.
      record('RLSA-2099:0004', [{ ecosystem: 'Rocky Linux:9', name: 'openssl', fixed: '3.0.9-1.el9' }]),
      record('RLSA-2099:0005', [{ ecosystem: 'Rocky Linux:9', name: 'bash', versions: ['0:5.1.8-6.el9'] }]),
      // AlmaLinux records name the binary RPMs of an erratum.
      record('ALSA-2099:0001', [
        { ecosystem: 'AlmaLinux:9', name: 'openssl-libs', fixed: '1:3.0.7-25.el9' },
        { ecosystem: 'AlmaLinux:9', name: 'openssl-devel', fixed: '1:3.0.7-25.el9' },
      ]),
      record('ALSA-2099:0002', [{ ecosystem: 'AlmaLinux:9', name: 'bash', fixed: '5.1.8-9.el9' }]),
      record('ALSA-2099:0003', [{ ecosystem: 'AlmaLinux:8', name: 'curl', fixed: '7.99-1.el8' }]),
    ]);
    expect(matches).toEqual([
      'AlmaLinux:9 openssl-libs@1:3.0.7-24.el9 <- ALSA-2099:0001',
      'AlmaLinux:9 bash@5.1.8-6.el9 <- ALSA-2099:0002',
      'Rocky Linux:9 openssl@1:3.0.7-24.el9 <- RLSA-2099:0001',
      'Rocky Linux:9 curl@7.76.1-26.el9 <- RLSA-2099:0002',
      'Rocky Linux:9 bash@5.1.8-6.el9 <- RLSA-2099:0005',
    ]);
  });

  it('reads transactions still in the write-ahead log', async () => {
    const pending: RpmSpec[] = [{ name: 'sudo', version: '1.9.5p2', release: '9.el9', arch: 'x86_64', sourceRpm: 'sudo-1.9.5p2-9.el9.src.rpm' }];
    const parsed = await readArtifact([{ path: 'rocky.tar', bytes: rpmImage(tempDir(), rocky, undefined, EL9.slice(0, 1), pending) }]);
    expect(parsed.errors).toEqual([]);
    expect(listed(parsed.files)).toEqual(['Rocky Linux:9 openssl-libs@1:3.0.7-24.el9', 'Rocky Linux:9 openssl@1:3.0.7-24.el9', 'Rocky Linux:9 sudo@1.9.5p2-9.el9']);
  });

  it('BerkeleyDB databases, RHEL and unknown distributions are reported as unreadable for matching, never skipped', async () => {
    const el8 = dockerSave([
      { name: 'etc/os-release', content: 'ID="almalinux"\nVERSION_ID="8.9"\n' },
      { name: 'var/lib/rpm/Packages', content: Buffer.from([0, 0x06, 0x15, 0x61, 0, 0, 0, 9]) },
    ]);
    const rhel = rpmImage(tempDir(), 'ID="rhel"\nVERSION_ID="9.3"\n');
    const mint = dockerSave([
      { name: 'etc/os-release', content: 'ID=linuxmint\nVERSION_ID="21.2"\n' },
      { name: 'var/lib/dpkg/status', content: stanza({ Package: 'tar', Status: installed, Version: '1.34+dfsg-1' }) },
    ]);
    const empty = rpmImage(tempDir(), rocky, undefined, []);
    const parsed = await readArtifact([
      { path: 'el8.tar', bytes: el8 },
      { path: 'ubi.tar', bytes: rhel },
      { path: 'mint.tar', bytes: mint },
    ]);
    expect(parsed.files).toEqual([]);
    expect(parsed.errors).toEqual([
      { path: 'el8.tar!/var/lib/rpm/Packages', reason: 'rpm BerkeleyDB database: not readable (no maintained JavaScript reader for BerkeleyDB); only rpmdb.sqlite is' },
      {
        path: 'ubi.tar!/var/lib/rpm/rpmdb.sqlite',
        reason: "rpm database of rhel: OSV's Red Hat records are per product stream (`Red Hat:enterprise_linux:9::appstream`, EUS and other channels), which an image's rpm database does not record",
      },
      { path: 'mint.tar!/var/lib/dpkg/status', reason: 'dpkg database of linuxmint: only Debian and Ubuntu releases are matched' },
    ]);
    // An empty database is an image without rpm packages, not an error.
    expect((await readArtifact([{ path: 'empty.tar', bytes: empty }])).errors).toEqual([]);
  });

  it('a header blob that does not fit or lacks NAME/VERSION/RELEASE is a malformed database, naming the package', () => {
    const good = buildRpmHeader({ name: 'zlib', epoch: 0, version: '1.2.11', release: '40.el9', sourceRpm: 'zlib-1.2.11-40.el9.src.rpm' });
    expect(parseRpmHeader(good)).toEqual({ name: 'zlib', epoch: 0, version: '1.2.11', release: '40.el9', sourceRpm: 'zlib-1.2.11-40.el9.src.rpm' });
    expect(() => parseRpmHeader(good.subarray(0, good.length - 10))).toThrow(/does not fit/);
    const noName = Buffer.from(good);
    noName.writeUInt32BE(999, 8 + 16); // the second index entry's tag: NAME (1000) becomes an unknown tag
    expect(() => parseRpmHeader(noName)).toThrow('rpm header without NAME, VERSION and RELEASE');
    // The same damage inside a real database names the package it is in.
    const spec = { name: 'x', version: '1', release: '1' };
    const database = Buffer.from(buildRpmSqlite(tempDir(), [spec]).database);
    const at = database.indexOf(buildRpmHeader(spec));
    expect(at).toBeGreaterThan(0);
    database.writeUInt32BE(999, at + 8 + 16);
    expect(() => readRpmSqlite(database)).toThrow('package 1: rpm header without NAME, VERSION and RELEASE');
    expect(readRpmSqlite(buildRpmSqlite(tempDir(), [spec]).database)).toEqual([spec]);
  });
});
