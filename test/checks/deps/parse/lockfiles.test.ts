import { describe, expect, it } from 'vitest';
import { parseFile } from '../../../../checks/deps/parse/detect.js';
import { parseArtifact, readArtifact } from '../../../../checks/deps/parse/artifact.js';
import { describedArtifact, parsePurl } from '../../../../checks/deps/parse/sboms.js';
import { buildZip } from '../support/zip.js';
import { buildTarball } from '../support/tar.js';

const summary = (path: string, text: string) =>
  parseFile(path, text)
    .components.map((c) => `${c.ecosystem} ${c.name}@${c.version}${c.direct ? ' direct' : ''}${c.registry ? ` ${c.registry}` : ''}`)
    .sort();

describe('lockfile parsers', () => {
  it('package-lock v1 nests dependencies; unrequired top-level packages are direct', () => {
    const v1 = { lockfileVersion: 1, dependencies: { express: { version: '4.17.1', resolved: 'https://registry.npmjs.org/express/-/express-4.17.1.tgz', requires: { qs: '6.7.0' }, dependencies: { qs: { version: '6.7.0' } } }, qs: { version: '6.5.2' } } };
    expect(summary('package-lock.json', JSON.stringify(v1))).toEqual(['npm express@4.17.1 direct https://registry.npmjs.org', 'npm qs@6.5.2', 'npm qs@6.7.0']);
  });

  it('package-lock v3 resolves nested node_modules and keeps the dependency path', () => {
    const v3 = {
      lockfileVersion: 3,
      packages: {
        '': { dependencies: { a: '^1' } },
        'node_modules/a': { version: '1.0.0', dependencies: { b: '^2' } },
        'node_modules/a/node_modules/b': { version: '2.0.0' },
        'node_modules/b': { version: '1.0.0' },
        'node_modules/local': { link: true, resolved: 'packages/local' },
      },
    };
    const parsed = parseFile('package-lock.json', JSON.stringify(v3)).components;
    expect(parsed.map((c) => `${c.name}@${c.version} ${c.path.join('>')}`).sort()).toEqual(['a@1.0.0 a', 'b@1.0.0 b', 'b@2.0.0 a>b']);
  });

  it('package-lock v2 (both packages and dependencies) is read from packages', () => {
    const v2 = {
      lockfileVersion: 2,
      packages: { '': { dependencies: { debug: '^4' } }, 'node_modules/debug': { version: '4.3.4', dependencies: { ms: '2.1.2' } }, 'node_modules/ms': { version: '2.1.2' } },
      dependencies: { debug: { version: '4.3.1' }, ms: { version: '2.0.0' } },
    };
    expect(parseFile('package-lock.json', JSON.stringify(v2)).components.map((c) => `${c.name}@${c.version} ${c.direct ? 'direct' : c.path.join('>')}`).sort()).toEqual(['debug@4.3.4 direct', 'ms@2.1.2 debug>ms']);
  });

  it('yarn.lock v1 and berry, skipping workspaces', () => {
    const v1 = '# yarn lockfile v1\n\n\n"@scope/a@^1.0.0", "@scope/a@^1.0.1":\n  version "1.0.1"\n  resolved "https://registry.yarnpkg.com/@scope/a/-/a-1.0.1.tgz"\n';
    expect(summary('yarn.lock', v1)).toEqual(['npm @scope/a@1.0.1 https://registry.yarnpkg.com']);
    const berry = '__metadata:\n  version: 6\n\n"lodash@npm:^4.17.0":\n  version: 4.17.20\n  resolution: "lodash@npm:4.17.20"\n\n"app@workspace:.":\n  version: 0.0.0-use.local\n  resolution: "app@workspace:."\n';
    expect(summary('yarn.lock', berry)).toEqual(['npm lodash@4.17.20']);
  });

  it('pnpm-lock 6 and 9 keys, importers marking direct dependencies', () => {
    const v6 = "lockfileVersion: '6.0'\ndependencies:\n  react:\n    specifier: ^18\n    version: 18.2.0\npackages:\n  /react@18.2.0:\n    resolution: {integrity: sha512-x}\n  /@babel/core@7.22.0(react@18.2.0):\n    resolution: {integrity: sha512-y}\n";
    expect(summary('pnpm-lock.yaml', v6)).toEqual(['npm @babel/core@7.22.0', 'npm react@18.2.0 direct']);
    const v9 = "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      left-pad:\n        specifier: ^1\n        version: 1.3.0\npackages:\n  left-pad@1.3.0:\n    resolution: {integrity: sha512-z}\n";
    expect(summary('pnpm-lock.yaml', v9)).toEqual(['npm left-pad@1.3.0 direct']);
    const v5 = "lockfileVersion: 5.4\nspecifiers:\n  '@babel/core': ^7\ndependencies:\n  '@babel/core': 7.20.0\npackages:\n  /@babel/core/7.20.0:\n    resolution: {integrity: sha512-a}\n  /semver/6.3.0_typescript@4.9.0:\n    resolution: {integrity: sha512-b}\n";
    expect(summary('pnpm-lock.yaml', v5)).toEqual(['npm @babel/core@7.20.0 direct', 'npm semver@6.3.0']);
  });

  it('Python: requirements (pinned only), poetry.lock, Pipfile.lock, uv.lock; names PEP 503-normalized', () => {
    expect(summary('requirements-prod.txt', 'Flask_SQLAlchemy[async]==3.0.0 \\\n  --hash=sha256:aa\nrequests>=2\n-r other.txt\n')).toEqual(['PyPI flask-sqlalchemy@3.0.0 direct']);
    expect(summary('poetry.lock', '[[package]]\nname = "Django"\nversion = "4.2.0"\n[package.source]\ntype = "legacy"\nurl = "https://pypi.internal.example/simple"\n')).toEqual(['PyPI django@4.2.0 https://pypi.internal.example']);
    expect(summary('Pipfile.lock', JSON.stringify({ default: { requests: { version: '==2.31.0' } }, develop: { pytest: { version: '==7.0.0' } } }))).toEqual(['PyPI pytest@7.0.0', 'PyPI requests@2.31.0']);
    const uv = 'version = 1\n[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { editable = "." }\ndependencies = [{ name = "httpx" }]\n[[package]]\nname = "httpx"\nversion = "0.27.0"\nsource = { registry = "https://pypi.org/simple" }\n[[package]]\nname = "idna"\nversion = "3.7"\nsource = { registry = "https://pypi.org/simple" }\n';
    expect(summary('uv.lock', uv)).toEqual(['PyPI httpx@0.27.0 direct https://pypi.org', 'PyPI idna@3.7 https://pypi.org']);
  });

  it('Go, Rust, Ruby, PHP, Gradle and NuGet lockfiles', () => {
    expect(summary('go.mod', 'module x\n\ngo 1.21\n\nrequire github.com/a/b v1.2.3\nrequire (\n\tgolang.org/x/net v0.17.0 // indirect\n\tgithub.com/c/d v2.0.0+incompatible\n)\n')).toEqual([
      'Go github.com/a/b@v1.2.3 direct',
      'Go github.com/c/d@v2.0.0+incompatible direct',
      'Go golang.org/x/net@v0.17.0',
    ]);
    expect(summary('go.sum', 'golang.org/x/net v0.10.0 h1:aa=\ngolang.org/x/net v0.10.0/go.mod h1:bb=\ngolang.org/x/net v0.17.0 h1:cc=\n')).toEqual(['Go golang.org/x/net@v0.17.0']);
    expect(summary('Cargo.lock', '[[package]]\nname = "app"\nversion = "0.1.0"\ndependencies = ["serde 1.0.0", "time"]\n[[package]]\nname = "serde"\nversion = "1.0.0"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n[[package]]\nname = "time"\nversion = "0.1.43"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n[[package]]\nname = "itoa"\nversion = "1.0.0"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n')).toEqual([
      'crates.io itoa@1.0.0 https://github.com/rust-lang/crates.io-index',
      'crates.io serde@1.0.0 direct https://github.com/rust-lang/crates.io-index',
      'crates.io time@0.1.43 direct https://github.com/rust-lang/crates.io-index',
    ]);
    expect(summary('Gemfile.lock', 'GEM\n  remote: https://rubygems.org/\n  specs:\n    rack (2.2.3)\n    nokogiri (1.13.0-x86_64-linux)\n      racc (~> 1.4)\n    racc (1.6.0)\n\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n  nokogiri\n  rack (~> 2.2)\n')).toEqual([
      'RubyGems nokogiri@1.13.0 direct https://rubygems.org',
      'RubyGems racc@1.6.0 https://rubygems.org',
      'RubyGems rack@2.2.3 direct https://rubygems.org',
    ]);
    expect(summary('composer.lock', JSON.stringify({ packages: [{ name: 'symfony/http-kernel', version: 'v5.4.20' }], 'packages-dev': [] }))).toEqual(['Packagist symfony/http-kernel@5.4.20']);
    expect(summary('gradle.lockfile', '# comment\ncom.fasterxml.jackson.core:jackson-databind:2.13.0=compileClasspath\nempty=annotationProcessor\n')).toEqual(['Maven com.fasterxml.jackson.core:jackson-databind@2.13.0']);
    expect(summary('packages.lock.json', JSON.stringify({ version: 1, dependencies: { 'net8.0': { 'Newtonsoft.Json': { type: 'Direct', resolved: '13.0.1' }, 'System.Text.Json': { type: 'Transitive', resolved: '8.0.0' }, Lib: { type: 'Project' } } } }))).toEqual([
      'NuGet Newtonsoft.Json@13.0.1 direct',
      'NuGet System.Text.Json@8.0.0',
    ]);
  });

  it('SPDX 2.3 and CycloneDX JSON SBOMs through their purls', () => {
    const spdx = {
      spdxVersion: 'SPDX-2.3',
      documentDescribes: ['SPDXRef-app'],
      packages: [
        { SPDXID: 'SPDXRef-app', name: 'app', versionInfo: '1.0.0' },
        { SPDXID: 'SPDXRef-a', name: 'jackson', externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.13.0' }] },
        { SPDXID: 'SPDXRef-b', name: 'x', externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:golang/github.com/a/b@v1.0.0' }] },
      ],
      relationships: [{ spdxElementId: 'SPDXRef-app', relationshipType: 'DEPENDS_ON', relatedSpdxElement: 'SPDXRef-a' }],
    };
    expect(summary('app.spdx.json', JSON.stringify(spdx))).toEqual(['Go github.com/a/b@v1.0.0', 'Maven com.fasterxml.jackson.core:jackson-databind@2.13.0 direct']);
    const cdx = { bomFormat: 'CycloneDX', specVersion: '1.6', metadata: { component: { 'bom-ref': 'app' } }, components: [{ 'bom-ref': 'n', purl: 'pkg:npm/%40scope/n@1.0.0', components: [{ purl: 'pkg:nuget/Foo@2.0.0' }] }], dependencies: [{ ref: 'app', dependsOn: ['n'] }] };
    expect(summary('bom.json', JSON.stringify(cdx))).toEqual(['NuGet Foo@2.0.0', 'npm @scope/n@1.0.0 direct']);
    expect(() => parseFile('bom.json', '{"bomFormat":"SPDX"}')).toThrow(/malformed cyclonedx-json: not a CycloneDX BOM/);
  });

  it('CycloneDX XML 1.4 to 1.6: nested components, dependencies, versions kept as strings', () => {
    for (const spec of ['1.4', '1.5', '1.6']) {
      const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/${spec}" version="1">
  <metadata><component type="application" bom-ref="app"><name>shop</name><version>2.10</version></component></metadata>
  <components>
    <component type="library" bom-ref="spring"><name>spring-core</name><version>5.3.10</version>
      <purl>pkg:maven/org.springframework/spring-core@5.3.10</purl>
      <components><component type="library" bom-ref="jcl"><name>spring-jcl</name><version>5.3.10</version><purl>pkg:maven/org.springframework/spring-jcl@5.3.10</purl></component></components>
    </component>
    <component type="library" bom-ref="pyyaml"><name>PyYAML</name><version>5.10</version><purl>pkg:pypi/PyYAML@5.10</purl></component>
    <component type="library"><name>no purl</name><version>1</version></component>
  </components>
  <dependencies>
    <dependency ref="app"><dependency ref="spring"/><dependency ref="pyyaml"/></dependency>
    <dependency ref="spring"><dependency ref="jcl"/></dependency>
  </dependencies>
</bom>`;
      const parsed = parseFile(`shop.cdx.xml`, xml).components;
      expect(parsed.map((c) => `${c.ecosystem} ${c.name}@${c.version}${c.direct ? ' direct' : ''} ${c.path.join('>')}`).sort(), spec).toEqual([
        'Maven org.springframework:spring-core@5.3.10 direct org.springframework:spring-core',
        'Maven org.springframework:spring-jcl@5.3.10 org.springframework:spring-core>org.springframework:spring-jcl',
        'PyPI pyyaml@5.10 direct pyyaml',
      ]);
      expect(describedArtifact(xml)).toEqual({ name: 'shop', version: '2.10' });
    }
    expect(() => parseFile('bom.xml', '<bom xmlns="http://example.com/other"/>')).toThrow(/malformed cyclonedx-xml: not a CycloneDX BOM/);
    expect(() => parseFile('bom.xml', '<bom><unclosed></bom>')).toThrow(/malformed cyclonedx-xml: /);
  });

  it('deb and apk purls (syft, trivy) carry the release and the source package; other vendors are not matched as Debian', () => {
    expect(parsePurl('pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&upstream=openssl&distro=debian-12.4')).toMatchObject({ ecosystem: 'Debian:12', name: 'openssl', version: '3.0.11-1~deb12u2' });
    expect(parsePurl('pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1%2Bb1?upstream=zlib%401%3A1.2.13.dfsg-1&distro=bookworm')).toMatchObject({ ecosystem: 'Debian', name: 'zlib', version: '1:1.2.13.dfsg-1' });
    expect(parsePurl('pkg:apk/alpine/libcrypto3@3.1.3-r0?arch=x86_64&upstream=openssl&distro=3.18.4')).toMatchObject({ ecosystem: 'Alpine:v3.18', name: 'openssl', version: '3.1.3-r0' });
    expect(parsePurl('pkg:deb/ubuntu/openssl@3.0.2-0ubuntu1.10?distro=ubuntu-22.04')).toBeUndefined();
    expect(parsePurl('pkg:apk/wolfi/glibc@2.38-r1')).toBeUndefined();
  });

  it('an artifact keeps the files it could read and names the ones it could not', () => {
    const parsed = parseArtifact([
      { path: 'svc/go.mod', bytes: Buffer.from('module x\nrequire github.com/a/b v1.0.0\n') },
      { path: 'svc/go.sum', bytes: Buffer.from('github.com/a/b v1.0.0 h1:x=\ngithub.com/a/b v0.9.0 h1:y=\n') },
      { path: 'web/package-lock.json', bytes: Buffer.from('not json') },
      { path: 'logo.png', bytes: Buffer.from([0x89, 0x50]) },
    ]);
    expect(parsed.files.map((f) => f.format)).toEqual(['go-mod']);
    expect(parsed.errors).toEqual([{ path: 'web/package-lock.json', reason: expect.stringMatching(/^malformed package-lock: /) }]);
    expect(parsed.unrecognised).toBe(1);
    expect(parsed.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('archives: jar with nested jars, a wheel, an npm tarball; a corrupt archive is named', async () => {
    const inner = buildZip([{ name: 'META-INF/maven/org.yaml/snakeyaml/pom.properties', content: 'groupId=org.yaml\nartifactId=snakeyaml\nversion=1.33\n' }]);
    const war = buildZip([
      { name: 'WEB-INF/lib/app.jar', content: buildZip([{ name: 'META-INF/maven/com.example/app/pom.properties', content: 'groupId=com.example\nartifactId=app\nversion=1.0\n' }, { name: 'lib/snakeyaml.jar', content: inner }]) },
    ]);
    const wheel = buildZip([{ name: 'requests-2.31.0.dist-info/METADATA', content: 'Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\n' }]);
    const tgz = buildTarball([{ name: 'package/npm-shrinkwrap.json', content: JSON.stringify({ lockfileVersion: 1, dependencies: { ms: { version: '2.0.0' } } }) }]);
    const parsed = await readArtifact([
      { path: 'shop.war', bytes: war },
      { path: 'suite.ear', bytes: buildZip([{ name: 'lib/log.jar', content: buildZip([{ name: 'META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties', content: 'version=2.14.1\ngroupId=org.apache.logging.log4j\nartifactId=log4j-core\n' }]) }]) },
      { path: 'requests-2.31.0-py3-none-any.whl', bytes: wheel },
      { path: 'cli-1.0.0.tgz', bytes: tgz },
      { path: 'broken.jar', bytes: Buffer.from('not a zip') },
    ]);
    expect(parsed.files.flatMap((f) => f.components.map((c) => `${c.ecosystem} ${c.name}@${c.version} <- ${f.path}`)).sort()).toEqual([
      'Maven com.example:app@1.0 <- shop.war!/WEB-INF/lib/app.jar!/META-INF/maven/com.example/app/pom.properties',
      'Maven org.apache.logging.log4j:log4j-core@2.14.1 <- suite.ear!/lib/log.jar!/META-INF/maven/org.apache.logging.log4j/log4j-core/pom.properties',
      'Maven org.yaml:snakeyaml@1.33 <- shop.war!/WEB-INF/lib/app.jar!/lib/snakeyaml.jar!/META-INF/maven/org.yaml/snakeyaml/pom.properties',
      'PyPI requests@2.31.0 <- requests-2.31.0-py3-none-any.whl!/requests-2.31.0.dist-info/METADATA',
      'npm ms@2.0.0 <- cli-1.0.0.tgz!/package/npm-shrinkwrap.json',
    ]);
    expect(parsed.errors).toEqual([{ path: 'broken.jar', reason: expect.stringMatching(/^unreadable archive: /) }]);
  });
});
