import { gunzipSync } from 'node:zlib';
import type { ArtifactFile } from './artifact.js';

/**
 * Regular files of a (gzipped) tar archive: ustar names with their prefix, and pax `path` records for long names.
 * Written by hand because the only files Vigil takes out of an npm tarball are one or two small JSON documents, and
 * the ustar header is 512 bytes of fixed fields; `tar-stream` would be a dependency for 40 lines.
 */
export function untar(archive: Buffer): ArtifactFile[] {
  const data = archive[0] === 0x1f && archive[1] === 0x8b ? gunzipSync(archive) : archive;
  const files: ArtifactFile[] = [];
  let offset = 0;
  let paxPath: string | undefined;
  while (offset + 512 <= data.length) {
    const header = data.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number) => header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    if (Number.isNaN(size)) throw new Error(`corrupt tar header at byte ${offset}`);
    const type = String.fromCharCode(header[156]!);
    const prefix = field(345, 155);
    const name = paxPath ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    const body = data.subarray(offset + 512, offset + 512 + size);
    if (body.length < size) throw new Error(`truncated tar entry ${name}`);
    paxPath = undefined;
    if (type === 'x') {
      paxPath = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1];
    } else if (type === '0' || type === '\0') {
      files.push({ path: name, bytes: Buffer.from(body) });
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}
