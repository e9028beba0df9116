import { gzipSync } from 'node:zlib';

export interface TarSpec {
  readonly name: string;
  readonly content?: string | Buffer;
  /** '0' file (default), '5' directory, '2' symlink. */
  readonly type?: '0' | '5' | '2';
  readonly linkname?: string;
}

function header(name: string, size: number, type: string, linkname = ''): Buffer {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100, 'utf8');
  block.write(type === '5' ? '0000755\0' : '0000644\0', 100);
  block.write('0000000\0', 108);
  block.write('0000000\0', 116);
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  block.write('00000000000\0', 136);
  block.write('        ', 148);
  block.write(type, 156);
  block.write(linkname, 157, 100, 'utf8');
  block.write('ustar\0', 257);
  block.write('00', 263);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}

const pad = (length: number) => Buffer.alloc((512 - (length % 512)) % 512);

/**
 * A ustar archive built in memory (as `npm pack` and `docker save` make them), so tests need no tar library or binary.
 * Names over 100 bytes get a pax `path` record first, as GNU tar and Docker write them.
 */
export function buildTar(entries: readonly TarSpec[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const type = entry.type ?? '0';
    const data = type === '0' ? (typeof entry.content === 'string' ? Buffer.from(entry.content, 'utf8') : (entry.content ?? Buffer.alloc(0))) : Buffer.alloc(0);
    if (Buffer.byteLength(entry.name) > 100) {
      const record = (length: number) => `${length} path=${entry.name}\n`;
      let length = Buffer.byteLength(record(0));
      while (Buffer.byteLength(record(length)) !== length) length = Buffer.byteLength(record(length));
      const pax = Buffer.from(record(length), 'utf8');
      blocks.push(header('PaxHeader', pax.length, 'x'), pax, pad(pax.length));
    }
    blocks.push(header(entry.name.slice(0, 100), data.length, type, entry.linkname), data, pad(data.length));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** A gzipped tar (an npm tarball, a compressed image layer). */
export function buildTarball(entries: readonly TarSpec[]): Buffer {
  return gzipSync(buildTar(entries));
}
