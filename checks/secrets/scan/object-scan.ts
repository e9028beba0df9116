import { streamObjects, type GitObject } from '../collect/git-process.js';
import type { ObjectLocation } from '../collect/repo-state.js';
import type { SecretMatch, SecretScanner } from './secret-scanner.js';

/** Blobs with a NUL byte this early are binary: not read further, counted as skipped. */
const BINARY_PROBE = 8000;

/** What reading and matching a list of objects produced; all of it redacted, so it may cross threads. */
export interface ObjectScanResult {
  readonly blobs: { readonly oid: string; readonly matches: SecretMatch[] }[];
  /** Commit and annotated tag messages with matches (line numbers counted from the object's first header line). */
  readonly messages: { readonly oid: string; readonly kind: 'commit' | 'tag'; readonly location: ObjectLocation; readonly matches: SecretMatch[] }[];
  readonly binary: number;
  readonly bytesRead: number;
}

/** Reads the given objects through one `git cat-file --batch` and matches each once. */
export async function scanObjects(gitDir: string, oids: readonly string[], scanner: SecretScanner, signal?: AbortSignal): Promise<ObjectScanResult> {
  const result: { blobs: ObjectScanResult['blobs']; messages: ObjectScanResult['messages']; binary: number; bytesRead: number } = { blobs: [], messages: [], binary: 0, bytesRead: 0 };
  await streamObjects(
    gitDir,
    oids,
    (object) => {
      result.bytesRead += object.content.length;
      if (object.type === 'blob') {
        if (object.content.subarray(0, BINARY_PROBE).includes(0)) {
          result.binary++;
          return;
        }
        const matches = scanner.scanBytes(object.content);
        if (matches.length > 0) result.blobs.push({ oid: object.oid, matches });
        return;
      }
      const message = splitMessage(object);
      if (!message) return;
      const matches = scanner.scanText(message.text);
      if (matches.length === 0) return;
      result.messages.push({
        oid: object.oid,
        kind: object.type === 'tag' ? 'tag' : 'commit',
        location: message.location,
        matches: matches.map((match) => ({ ...match, line: match.line + message.lineOffset })),
      });
    },
    signal ? { signal } : {},
  );
  return result;
}

/** A commit's or annotated tag's message, with the author/tagger it carries and how many header lines precede it. */
function splitMessage(object: GitObject): { text: string; lineOffset: number; location: ObjectLocation } | undefined {
  const raw = object.content.toString('utf8');
  const end = raw.indexOf('\n\n');
  if (end === -1) return undefined;
  const headers = raw.slice(0, end);
  const who = /^(?:author|tagger) (.*) <([^>]*)> (\d+)/m.exec(headers);
  return {
    text: raw.slice(end + 2),
    lineOffset: headers.split('\n').length + 1,
    location: { commit: object.oid, path: '', author: who?.[1] ?? '', email: who?.[2] ?? '', time: Number(who?.[3] ?? 0) },
  };
}
