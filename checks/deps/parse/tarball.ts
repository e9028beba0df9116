import { gunzipSync } from 'node:zlib';
import type { ArtifactFile } from './artifact.js';

export interface TarEntry {
  /** Path without a leading `./` or `/`. */
  readonly path: string;
  readonly type: 'file' | 'dir' | 'symlink' | 'link' | 'other';
  /** A view into the archive for regular files (copy it to keep it); empty for everything else. */
  readonly bytes: Buffer;
  readonly linkname: string;
}

/**
 * Every entry of a (gzipped) tar archive: ustar names with their prefix, pax `path`/`linkpath` records and GNU long
 * names for paths over 100 bytes. Written by hand because Vigil only ever takes a few small files out of an archive
 * (an npm tarball's shrinkwrap, an image layer's package databases) and the format is 512-byte fixed-field headers;
 * `tar-stream` would add a dependency and a stream API for that.
 */
export function tarEntries(archive: Buffer): TarEntry[] {
  const data = archive[0] === 0x1f && archive[1] === 0x8b ? gunzipSync(archive) : archive;
  if (data.length >= 4 && data.readUInt32LE(0) === 0xfd2fb528) throw new Error('zstd-compressed layers are not supported');
  const entries: TarEntry[] = [];
  let offset = 0;
  let longPath: string | undefined;
  let longLink: string | undefined;
  while (offset + 512 <= data.length) {
    const header = data.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start: number, length: number) => header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
    const sizeField = field(124, 12).trim();
    // GNU base-256 sizes (files over 8 GiB) set the high bit; nothing Vigil reads is that large.
    const size = header[124]! & 0x80 ? Number.NaN : parseInt(sizeField || '0', 8);
    if (Number.isNaN(size)) throw new Error(`corrupt tar header at byte ${offset}`);
    const type = String.fromCharCode(header[156]!);
    const prefix = field(345, 155);
    const name = longPath ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    const linkname = longLink ?? field(157, 100);
    const body = data.subarray(offset + 512, offset + 512 + size);
    if (body.length < size) throw new Error(`truncated tar entry ${name}`);
    longPath = undefined;
    longLink = undefined;
    if (type === 'x') {
      const pax = body.toString('utf8');
      longPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(pax)?.[1];
      longLink = /(?:^|\n)\d+ linkpath=([^\n]*)\n/.exec(pax)?.[1];
    } else if (type === 'L') {
      longPath = body.toString('utf8').replace(/\0.*$/s, '');
    } else if (type === 'K') {
      longLink = body.toString('utf8').replace(/\0.*$/s, '');
    } else if (type !== 'g') {
      const kind = type === '0' || type === '\0' || type === '7' ? 'file' : type === '5' ? 'dir' : type === '2' ? 'symlink' : type === '1' ? 'link' : 'other';
      entries.push({ path: name.replace(/^(\.\/|\/)+/, '').replace(/\/$/, ''), type: kind, bytes: kind === 'file' ? body : Buffer.alloc(0), linkname });
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

/** Regular files of a (gzipped) tar archive. */
export function untar(archive: Buffer): ArtifactFile[] {
  return tarEntries(archive)
    .filter((entry) => entry.type === 'file')
    .map((entry) => ({ path: entry.path, bytes: Buffer.from(entry.bytes) }));
}
