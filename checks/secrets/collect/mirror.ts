import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { GitCommandError } from './git-process.js';
import { spawn } from 'node:child_process';

export interface MirrorAuth {
  /** The token itself, read from the environment by the caller; never written to disk or to a command line. */
  readonly token: string;
  readonly user: string;
}

/** A remote URL as it may appear in resource ids and logs: user info (and any token in it) removed. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'file:') return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url; // scp-like ssh address (git@host:org/repo.git): nothing secret in it
  }
}

export function mirrorPathFor(cacheDir: string, url: string): string {
  const shown = displayUrl(url);
  const readable = shown.replace(/^[a-z+]+:\/\//i, '').replace(/[^A-Za-z0-9._-]+/g, '_').slice(-80);
  return join(cacheDir, `${readable}-${createHash('sha256').update(shown).digest('hex').slice(0, 12)}.git`);
}

/**
 * Keeps a bare mirror of `url` under `cacheDir` and brings it up to date: clone --mirror the first time (into a
 * temporary name, renamed when complete, so an interrupted clone never looks like a mirror), fetch --prune after, so
 * deleted branches and force-pushes reach the mirror as they happened upstream. The token travels in git's
 * environment-only config (GIT_CONFIG_COUNT), never in the URL, the mirror's config or a process argument.
 */
export async function updateMirror(url: string, cacheDir: string, auth: MirrorAuth | undefined, signal?: AbortSignal): Promise<string> {
  mkdirSync(cacheDir, { recursive: true });
  const dir = mirrorPathFor(cacheDir, url);
  const env: NodeJS.ProcessEnv = { GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: 'true', SSH_ASKPASS: 'true' };
  if (auth) {
    env.GIT_CONFIG_COUNT = '1';
    env.GIT_CONFIG_KEY_0 = 'http.extraHeader';
    env.GIT_CONFIG_VALUE_0 = `Authorization: Basic ${Buffer.from(`${auth.user}:${auth.token}`).toString('base64')}`;
  }
  if (existsSync(join(dir, 'HEAD'))) {
    await git(['--git-dir', dir, 'fetch', '--prune', '--quiet', 'origin'], env, signal);
    return dir;
  }
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  try {
    await git(['clone', '--mirror', '--quiet', url, partial], env, signal);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
  renameSync(partial, dir);
  return dir;
}

function git(args: string[], extraEnv: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C', ...extraEnv }, ...(signal ? { signal } : {}) });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new GitCommandError(args.filter((a) => !a.includes('://')), code, err))));
  });
}
