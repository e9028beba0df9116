import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { CollectorAccessDenied, CollectorUnreachable } from '../../../src/check-api/errors.js';
import { formatOf } from '../parse/detect.js';
import type { ArtifactFile } from '../parse/artifact.js';
import type { ListedArtifact } from './local-directory.js';

export interface S3SourceOptions {
  readonly bucket: string;
  readonly prefix: string;
  readonly region: string;
  /** For S3-compatible stores (MinIO, Ceph) and tests: path-style requests go to this endpoint. */
  readonly endpoint?: string;
}

function translate(error: unknown, what: string): Error {
  const name = (error as { name?: string }).name ?? '';
  if (name === 'AccessDenied' || name === 'Forbidden' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 403) {
    return new CollectorAccessDenied(`${what}: access denied`);
  }
  return new CollectorUnreachable(`${what}: ${name || (error as Error).message}`);
}

/**
 * An S3 bucket laid out like a local source: `<prefix><artifact>/<version>/<files>`. Listing is paginated with
 * continuation tokens; objects are fetched only for versions the inventory does not hold yet.
 */
export async function listS3Bucket(options: S3SourceOptions, signal: AbortSignal, injected?: S3Client): Promise<ListedArtifact[]> {
  const client = injected ?? new S3Client({ region: options.region, ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}) });
  const byVersion = new Map<string, { name: string; version: string; keys: string[] }>();
  let token: string | undefined;
  try {
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: options.bucket, Prefix: options.prefix, ...(token ? { ContinuationToken: token } : {}) }), { abortSignal: signal });
      for (const object of page.Contents ?? []) {
        const key = object.Key ?? '';
        const [name, version, ...rest] = key.slice(options.prefix.length).split('/');
        if (!name || !version || rest.length === 0 || !formatOf(rest.at(-1)!)) continue;
        const id = `${name}\u0000${version}`;
        const entry = byVersion.get(id) ?? { name, version, keys: [] };
        entry.keys.push(key);
        byVersion.set(id, entry);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw translate(error, `s3://${options.bucket}/${options.prefix}`);
  }
  return [...byVersion.values()].map((entry) => ({
    name: entry.name,
    version: entry.version,
    location: `s3://${options.bucket}/${options.prefix}${entry.name}/${entry.version}/`,
    fetch: async (): Promise<ArtifactFile[]> =>
      Promise.all(
        entry.keys.map(async (key) => {
          try {
            const object = await client.send(new GetObjectCommand({ Bucket: options.bucket, Key: key }), { abortSignal: signal });
            const bytes = Buffer.from(await object.Body!.transformToByteArray());
            return { path: key.slice(`${options.prefix}${entry.name}/${entry.version}/`.length), bytes };
          } catch (error) {
            throw translate(error, `s3://${options.bucket}/${key}`);
          }
        }),
      ),
  }));
}
