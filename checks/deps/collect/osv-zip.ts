import { stat } from 'node:fs/promises';
import yauzl from 'yauzl';
import { CollectorUnreachable } from '../../../src/check-api/errors.js';

/**
 * Reads every `*.json` entry of an OSV export zip (`<ecosystem>/all.zip`) through yauzl, one entry at a time so a
 * large export is never inflated into memory at once.
 */
export async function readZipJson(path: string, onEntry: (name: string, text: string) => void, signal: AbortSignal): Promise<void> {
  try {
    await stat(path);
  } catch (error) {
    throw new CollectorUnreachable(`advisory zip ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.open(path, { lazyEntries: true }, (error, file) => (error ? reject(new Error(`advisory zip ${path}: ${error.message}`)) : resolve(file!))));
  await new Promise<void>((resolve, reject) => {
    const fail = (error: Error) => {
      zip.close();
      reject(error);
    };
    zip.on('error', fail);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      if (signal.aborted) return fail(signal.reason as Error);
      if (!entry.fileName.endsWith('.json')) return zip.readEntry();
      zip.openReadStream(entry, (error, stream) => {
        if (error || !stream) return fail(error ?? new Error(`cannot read ${entry.fileName}`));
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', fail);
        stream.on('end', () => {
          onEntry(entry.fileName, Buffer.concat(chunks).toString('utf8'));
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
}
