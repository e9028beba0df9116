import { basename } from 'node:path';
import type { ParsedComponent, ParsedFile } from '../model.js';
import { parsePackageLock, parsePnpmLock, parseYarnLock } from './npm-lockfiles.js';
import { parseCargoLock, parseComposerLock, parseGemfileLock, parseGoMod, parseGoSum, parseGradleLockfile, parseNugetLock, parsePomProperties, parseWheelMetadata } from './other-lockfiles.js';
import { parsePipfileLock, parsePoetryLock, parseRequirements, parseUvLock } from './python-lockfiles.js';
import { parseCycloneDx, parseCycloneDxXml, parseSpdx } from './sboms.js';

interface Format {
  readonly name: string;
  readonly matches: (file: string) => boolean;
  readonly parse: (text: string) => ParsedComponent[];
}

/** Recognised by file name, as osv-scanner does; the order matters only where patterns overlap. */
const FORMATS: readonly Format[] = [
  { name: 'package-lock', matches: (f) => f === 'package-lock.json' || f === 'npm-shrinkwrap.json', parse: parsePackageLock },
  { name: 'yarn-lock', matches: (f) => f === 'yarn.lock', parse: parseYarnLock },
  { name: 'pnpm-lock', matches: (f) => f === 'pnpm-lock.yaml', parse: parsePnpmLock },
  { name: 'requirements', matches: (f) => /^requirements.*\.txt$/.test(f), parse: parseRequirements },
  { name: 'poetry-lock', matches: (f) => f === 'poetry.lock', parse: parsePoetryLock },
  { name: 'pipfile-lock', matches: (f) => f === 'Pipfile.lock', parse: parsePipfileLock },
  { name: 'uv-lock', matches: (f) => f === 'uv.lock', parse: parseUvLock },
  { name: 'go-mod', matches: (f) => f === 'go.mod', parse: parseGoMod },
  { name: 'go-sum', matches: (f) => f === 'go.sum', parse: parseGoSum },
  { name: 'cargo-lock', matches: (f) => f === 'Cargo.lock', parse: parseCargoLock },
  { name: 'gemfile-lock', matches: (f) => f === 'Gemfile.lock' || f === 'gems.locked', parse: parseGemfileLock },
  { name: 'composer-lock', matches: (f) => f === 'composer.lock', parse: parseComposerLock },
  { name: 'gradle-lockfile', matches: (f) => f === 'gradle.lockfile' || f.endsWith('.lockfile'), parse: parseGradleLockfile },
  { name: 'nuget-lock', matches: (f) => f === 'packages.lock.json', parse: parseNugetLock },
  { name: 'cyclonedx-json', matches: (f) => /(^bom|\.cdx|[.-]cyclonedx)\.json$/.test(f), parse: parseCycloneDx },
  { name: 'cyclonedx-xml', matches: (f) => /(^bom|\.cdx|[.-]cyclonedx)\.xml$/.test(f), parse: parseCycloneDxXml },
  { name: 'spdx-json', matches: (f) => f.endsWith('.spdx.json'), parse: parseSpdx },
  { name: 'pom-properties', matches: (f) => f === 'pom.properties', parse: parsePomProperties },
  { name: 'wheel-metadata', matches: (f) => f === 'METADATA', parse: parseWheelMetadata },
];

/** Archives whose contents are parsed (see archives.ts): they count as readable files of an artifact. */
export const ARCHIVE = /\.(jar|war|ear|whl|tgz|tar|tar\.gz)$/i;

export function formatOf(path: string): string | undefined {
  const file = basename(path);
  if (ARCHIVE.test(file)) return 'archive';
  return FORMATS.find((format) => format.matches(file))?.name;
}

/**
 * Parses one file of an artifact. Throws an Error whose message is the reason (the caller adds the file name):
 * unknown formats are the caller's business (`formatOf` first), malformed content is an error here.
 * go.sum is ignored when a go.mod sits beside it, because go.mod says which versions were selected.
 */
export function parseFile(path: string, text: string): ParsedFile {
  const file = basename(path);
  const format = FORMATS.find((f) => f.matches(file));
  if (!format) throw new Error(`unrecognised file format (expected a lockfile, a CycloneDX/SPDX JSON SBOM or package metadata)`);
  try {
    return { path, format: format.name, components: format.parse(text) };
  } catch (error) {
    throw new Error(`malformed ${format.name}: ${(error as Error).message}`);
  }
}
