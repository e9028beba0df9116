import { XMLParser } from 'fast-xml-parser';
import { component, ECOSYSTEMS, type ComponentEcosystem, type Ecosystem, type ParsedComponent } from '../model.js';
import { alpineRelease, debianRelease } from './os-packages.js';
import { dedupe } from './npm-lockfiles.js';

type Json = Record<string, any>;

const ECOSYSTEM_OF_PURL_TYPE: Record<string, Ecosystem> = {
  npm: 'npm',
  pypi: 'PyPI',
  golang: 'Go',
  cargo: 'crates.io',
  maven: 'Maven',
  gem: 'RubyGems',
  nuget: 'NuGet',
  composer: 'Packagist',
  deb: 'Debian',
  apk: 'Alpine',
};

export interface ParsedPurl {
  readonly ecosystem: ComponentEcosystem;
  readonly name: string;
  readonly version: string;
  /** The purl as written, when it names a binary package whose advisories are filed under its source package. */
  readonly binary?: string;
}

/**
 * Reads `pkg:type/namespace/name@version?qualifiers#subpath` for the ecosystems Vigil matches. Hand-written: the
 * mapping from purl namespace to each ecosystem's package name (Maven `group:artifact`, npm `@scope/name`, Go path)
 * is the part that matters and no library does it.
 */
export function parsePurl(purl: string): ParsedPurl | undefined {
  const match = /^pkg:([a-zA-Z.+-]+)\/([^@?#]+)@([^?#]+)(?:\?([^#]*))?/.exec(purl);
  if (!match) return undefined;
  const ecosystem = ECOSYSTEM_OF_PURL_TYPE[match[1]!.toLowerCase()];
  if (!ecosystem || !(ECOSYSTEMS as readonly string[]).includes(ecosystem)) return undefined;
  const segments = match[2]!.split('/').map(decodeURIComponent);
  const version = decodeURIComponent(match[3]!);
  if (ecosystem === 'Debian' || ecosystem === 'Alpine') return distroPurl(ecosystem, segments, version, new URLSearchParams(match[4] ?? ''), purl);
  const name = ecosystem === 'Maven' ? `${segments.slice(0, -1).join('.')}:${segments.at(-1)}` : segments.join('/');
  return { ecosystem, name, version };
}

/**
 * `pkg:deb/debian/libssl3@3.0.11-1~deb12u2?upstream=openssl&distro=debian-12` (syft, trivy): distribution advisories are
 * per release and per source package, so the `distro` qualifier gives the release and `upstream` (when present) the
 * source package. Other vendors' deb/apk packages (Ubuntu, Wolfi) are not matched against Debian or Alpine records.
 */
function distroPurl(ecosystem: 'Debian' | 'Alpine', segments: string[], version: string, qualifiers: URLSearchParams, purl: string): ParsedPurl | undefined {
  if (segments.length !== 2 || segments[0]!.toLowerCase() !== ecosystem.toLowerCase()) return undefined;
  const distro = (qualifiers.get('distro') ?? '').replace(/^(debian|alpine)-/i, '');
  const release = ecosystem === 'Debian' ? debianRelease(distro) : alpineRelease(distro);
  const upstream = qualifiers.get('upstream');
  const [sourceName, sourceVersion] = upstream ? upstream.split('@') : [];
  return {
    ecosystem: release ? (`${ecosystem}:${release}` as ComponentEcosystem) : ecosystem,
    name: sourceName || segments[1]!,
    version: sourceVersion || version,
    binary: purl,
  };
}

/** CycloneDX JSON 1.4 to 1.6: nested `components` with purls; `dependencies` from the root component mark direct ones. */
export function parseCycloneDx(text: string): ParsedComponent[] {
  const bom = JSON.parse(text) as Json;
  if (bom.bomFormat !== 'CycloneDX') throw new Error('not a CycloneDX BOM (bomFormat is not "CycloneDX")');
  return componentsOfBom(bom);
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  // Namespaces kept: the default xmlns is how a CycloneDX document says which schema version it follows.
  removeNSPrefix: false,
  // Versions such as 1.10 must stay strings; fast-xml-parser would otherwise read them as numbers.
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => name === 'component' || name === 'dependency',
});

/**
 * CycloneDX XML 1.4 to 1.6, read with fast-xml-parser and reshaped into the JSON form (`components`, `bom-ref`,
 * `dependencies[].dependsOn`), so both encodings go through one reader.
 */
export function cycloneDxXmlToJson(text: string): Json {
  let doc: Json;
  try {
    doc = xml.parse(text, true) as Json;
  } catch (error) {
    throw new Error(`not well-formed XML: ${(error as Error).message.split('\n')[0]}`);
  }
  const bom = doc.bom as Json | undefined;
  const namespace = typeof bom?.xmlns === 'string' ? bom.xmlns : '';
  if (!bom || !/^http:\/\/cyclonedx\.org\/schema\/bom\/1\.\d+$/.test(namespace)) throw new Error('not a CycloneDX BOM (no <bom> element in a cyclonedx.org/schema/bom namespace)');
  const componentOf = (c: Json): Json => ({
    'bom-ref': c['bom-ref'],
    name: c.name,
    version: c.version,
    purl: typeof c.purl === 'string' ? c.purl.trim() : undefined,
    components: ((c.components as Json | undefined)?.component as Json[] | undefined)?.map(componentOf) ?? [],
  });
  const root = ((bom.metadata as Json | undefined)?.component as Json[] | undefined)?.[0];
  return {
    bomFormat: 'CycloneDX',
    specVersion: namespace.split('/').at(-1),
    metadata: root ? { component: componentOf(root) } : {},
    components: ((bom.components as Json | undefined)?.component as Json[] | undefined)?.map(componentOf) ?? [],
    dependencies: ((bom.dependencies as Json | undefined)?.dependency as Json[] | undefined)?.map((d) => ({
      ref: d.ref,
      dependsOn: ((d.dependency as Json[] | undefined) ?? []).map((child) => child.ref),
    })) ?? [],
  };
}

export function parseCycloneDxXml(text: string): ParsedComponent[] {
  return componentsOfBom(cycloneDxXmlToJson(text));
}

function componentsOfBom(bom: Json): ParsedComponent[] {  const rootRef = bom.metadata?.component?.['bom-ref'] as string | undefined;
  const edges = new Map<string, string[]>();
  for (const dep of (bom.dependencies as Json[] | undefined) ?? []) edges.set(String(dep.ref), ((dep.dependsOn as string[] | undefined) ?? []).map(String));
  const directRefs = new Set(rootRef ? (edges.get(rootRef) ?? []) : []);
  const paths = pathsFrom(rootRef, edges);
  const byRef = new Map<string, string>();
  const out: ParsedComponent[] = [];
  const walk = (components: Json[]) => {
    for (const c of components) {
      if (typeof c.purl === 'string') {
        const parsed = parsePurl(c.purl);
        if (parsed) {
          const ref = String(c['bom-ref'] ?? c.purl);
          const found = component(parsed.ecosystem, parsed.name, parsed.version, { direct: directRefs.has(ref), path: paths.get(ref) ?? [ref], ...(parsed.binary ? { purl: parsed.binary } : {}) });
          byRef.set(ref, found.name);
          out.push(found);
        }
      }
      if (Array.isArray(c.components)) walk(c.components as Json[]);
    }
  };
  walk((bom.components as Json[] | undefined) ?? []);
  return dedupe(out.map((c) => ({ ...c, path: c.path.map((ref) => byRef.get(ref) ?? ref) })));
}

/** Breadth-first dependency paths (as refs) from the root; the root itself is not part of a path. */
function pathsFrom(root: string | undefined, edges: Map<string, string[]>): Map<string, string[]> {
  const paths = new Map<string, string[]>();
  if (!root) return paths;
  const queue: string[] = [];
  for (const child of edges.get(root) ?? []) {
    if (!paths.has(child)) {
      paths.set(child, [child]);
      queue.push(child);
    }
  }
  while (queue.length > 0) {
    const ref = queue.shift()!;
    for (const child of edges.get(ref) ?? []) {
      if (paths.has(child) || child === root) continue;
      paths.set(child, [...paths.get(ref)!, child]);
      queue.push(child);
    }
  }
  return paths;
}

/** SPDX JSON 2.3: packages with a `purl` external reference; DEPENDS_ON from the described package marks direct ones. */
export function parseSpdx(text: string): ParsedComponent[] {
  const doc = JSON.parse(text) as Json;
  if (typeof doc.spdxVersion !== 'string' || !doc.spdxVersion.startsWith('SPDX-')) throw new Error('not an SPDX JSON document (no spdxVersion)');
  const relationships = (doc.relationships as Json[] | undefined) ?? [];
  const described = new Set<string>([
    ...((doc.documentDescribes as string[] | undefined) ?? []),
    ...relationships.filter((r) => r.relationshipType === 'DESCRIBES').map((r) => String(r.relatedSpdxElement)),
  ]);
  const edges = new Map<string, string[]>();
  for (const r of relationships) {
    if (r.relationshipType !== 'DEPENDS_ON') continue;
    edges.set(String(r.spdxElementId), [...(edges.get(String(r.spdxElementId)) ?? []), String(r.relatedSpdxElement)]);
  }
  const direct = new Set([...described].flatMap((id) => edges.get(id) ?? []));
  const out: ParsedComponent[] = [];
  for (const pkg of (doc.packages as Json[] | undefined) ?? []) {
    if (described.has(String(pkg.SPDXID))) continue;
    const ref = ((pkg.externalRefs as Json[] | undefined) ?? []).find((r) => r.referenceType === 'purl');
    const parsed = typeof ref?.referenceLocator === 'string' ? parsePurl(ref.referenceLocator) : undefined;
    if (!parsed) continue;
    out.push(component(parsed.ecosystem, parsed.name, parsed.version, { direct: direct.has(String(pkg.SPDXID)), ...(parsed.binary ? { purl: parsed.binary } : {}) }));
  }
  return dedupe(out);
}

/** The artifact a BOM describes, for SBOMs handed over without a name/version of their own. */
export function describedArtifact(text: string): { name: string; version: string } | undefined {
  try {
    const doc = (text.trimStart().startsWith('<') ? cycloneDxXmlToJson(text) : JSON.parse(text)) as Json;
    const root = doc.metadata?.component as Json | undefined;
    if (root && typeof root.name === 'string' && typeof root.version === 'string') return { name: root.name, version: root.version };
    const described = (doc.documentDescribes as string[] | undefined)?.[0];
    const pkg = ((doc.packages as Json[] | undefined) ?? []).find((p) => p.SPDXID === described);
    if (pkg && typeof pkg.name === 'string' && typeof pkg.versionInfo === 'string') return { name: pkg.name, version: pkg.versionInfo };
  } catch {
    return undefined;
  }
  return undefined;
}
