import { spawn } from 'node:child_process';

export class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly code: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args.slice(0, 3).join(' ')} failed (exit ${code}): ${stderr.trim().split('\n')[0] ?? ''}`);
    this.name = 'GitCommandError';
  }
}

export interface GitRunOptions {
  readonly input?: string;
  readonly signal?: AbortSignal;
  /** Exit codes that are answers, not failures (e.g. 1 from `symbolic-ref -q` on a detached HEAD). */
  readonly okCodes?: readonly number[];
  readonly env?: NodeJS.ProcessEnv;
}

/** Runs git against one repository and returns stdout; a non-zero exit is a GitCommandError with git's stderr. */
export function runGit(gitDir: string, args: readonly string[], options: GitRunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['--git-dir', gitDir, '-c', 'core.quotePath=false', ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...options.env },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0 || (code !== null && options.okCodes?.includes(code))) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new GitCommandError(args, code, err));
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

/**
 * `git <first> | git <second>` on one repository, both processes running at once (on two cores the listing and the
 * lookup overlap instead of following each other); returns the second's stdout.
 */
export function runGitPipeline(gitDir: string, first: readonly string[], input: string, second: readonly string[], signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const spawnGit = (args: readonly string[]) =>
      spawn('git', ['--git-dir', gitDir, '-c', 'core.quotePath=false', ...args], {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' },
        ...(signal ? { signal } : {}),
      });
    const producer = spawnGit(first);
    const consumer = spawnGit(second);
    producer.stdout.pipe(consumer.stdin);
    consumer.stdin.on('error', () => {});
    producer.stdin.on('error', () => {});
    producer.stdin.end(input);
    const out: Buffer[] = [];
    let producerErr = '';
    let consumerErr = '';
    producer.stderr.on('data', (chunk: Buffer) => (producerErr += chunk.toString('utf8')));
    consumer.stderr.on('data', (chunk: Buffer) => (consumerErr += chunk.toString('utf8')));
    consumer.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    const producerDone = new Promise<number | null>((done) => producer.on('close', done));
    producer.on('error', reject);
    consumer.on('error', reject);
    consumer.on('close', async (code) => {
      const producerCode = await producerDone;
      if (producerCode !== 0) reject(new GitCommandError(first, producerCode, producerErr));
      else if (code !== 0) reject(new GitCommandError(second, code, consumerErr));
      else resolve(Buffer.concat(out).toString('utf8'));
    });
  });
}

export interface GitObject {
  readonly oid: string;
  readonly type: string;
  readonly content: Buffer;
}

/**
 * Streams objects through one long-lived `git cat-file --batch`: ids are written as the reader consumes, and each
 * object is handed to `onObject` as soon as its bytes arrive, so memory stays at one object plus the pipe buffers.
 */
export function streamObjects(gitDir: string, list: readonly string[], onObject: (object: GitObject) => void, options: { signal?: AbortSignal } = {}): Promise<void> {
  const signal = options.signal;
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['--git-dir', gitDir, 'cat-file', '--batch'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
      ...(signal ? { signal } : {}),
    });
    let err = '';
    let failure: unknown;
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('error', reject);
    child.stdin.on('error', () => {});

    // Feed ids in slices so a million-object list never sits in the pipe at once.
    let next = 0;
    const feed = () => {
      while (next < list.length) {
        const batch = list.slice(next, next + 4096);
        next += batch.length;
        if (!child.stdin.write(batch.join('\n') + '\n')) {
          child.stdin.once('drain', feed);
          return;
        }
      }
      child.stdin.end();
    };
    feed();

    let pending: Buffer = Buffer.alloc(0);
    let header: { oid: string; type: string; size: number } | undefined;
    let body: Buffer[] = [];
    let bodyLength = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      if (failure) return;
      try {
        let data = pending.length ? Buffer.concat([pending, chunk]) : chunk;
        pending = Buffer.alloc(0);
        while (data.length > 0) {
          if (!header) {
            const newline = data.indexOf(10);
            if (newline === -1) {
              pending = data;
              return;
            }
            const fields = data.subarray(0, newline).toString('latin1').split(' ');
            data = data.subarray(newline + 1);
            if (fields[1] === 'missing') continue;
            header = { oid: fields[0]!, type: fields[1]!, size: Number(fields[2]) };
            body = [];
            bodyLength = 0;
          }
          const want = header.size + 1 - bodyLength; // content plus the trailing newline
          const take = data.subarray(0, want);
          body.push(take);
          bodyLength += take.length;
          data = data.subarray(take.length);
          if (bodyLength === header.size + 1) {
            const content = body.length === 1 ? body[0]!.subarray(0, header.size) : Buffer.concat(body).subarray(0, header.size);
            const done = header;
            header = undefined;
            body = [];
            onObject({ oid: done.oid, type: done.type, content });
          }
        }
      } catch (error) {
        failure = error;
        child.kill();
      }
    });
    child.on('close', (code) => {
      if (failure) reject(failure);
      else if (code === 0) resolve();
      else reject(new GitCommandError(['cat-file', '--batch'], code, err));
    });
  });
}

/** The absolute git directory of a work tree or bare repository at `path`; rejects when `path` is not a repository. */
export function resolveGitDir(path: string, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-C', path, 'rev-parse', '--absolute-git-dir'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C', GIT_CEILING_DIRECTORIES: '' },
      ...(signal ? { signal } : {}),
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new GitCommandError(['rev-parse', '--absolute-git-dir'], code, err))));
  });
}
