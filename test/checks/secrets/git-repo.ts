import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, rmSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * A real git repository built at test time. Commit dates advance one minute per commit from a fixed epoch, so "first
 * appearance" is deterministic; identity and config come from the environment, never from the user's ~/.gitconfig.
 */
export class TestRepo {
  private tick = 0;
  constructor(
    readonly dir: string,
    readonly bare = false,
  ) {}

  static init(dir: string, options: { bare?: boolean; branch?: string } = {}): TestRepo {
    mkdirSync(dir, { recursive: true });
    const repo = new TestRepo(dir, options.bare ?? false);
    repo.git('init', '-q', ...(options.bare ? ['--bare'] : []), '-b', options.branch ?? 'main');
    return repo;
  }

  static clone(from: string, dir: string): TestRepo {
    execFileSync('git', ['clone', '-q', from, dir], { env: gitEnv(0), stdio: 'pipe' });
    return new TestRepo(dir);
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, env: gitEnv(this.tick), stdio: ['pipe', 'pipe', 'pipe'], encoding: 'utf8' }).trim();
  }

  write(path: string, content: string | Buffer): this {
    const file = join(this.dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    return this;
  }

  remove(path: string): this {
    rmSync(join(this.dir, path));
    return this;
  }

  rename(from: string, to: string): this {
    mkdirSync(dirname(join(this.dir, to)), { recursive: true });
    renameSync(join(this.dir, from), join(this.dir, to));
    return this;
  }

  /** Stages everything and commits; returns the new commit id. */
  commit(message: string, author = 'Dev One <dev1@example.test>'): string {
    this.tick++;
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message, `--author=${author}`);
    return this.git('rev-parse', 'HEAD');
  }

  head(): string {
    return this.git('rev-parse', 'HEAD');
  }
}

function gitEnv(tick: number): NodeJS.ProcessEnv {
  const date = `${1_700_000_000 + tick * 60} +0000`;
  return {
    PATH: process.env.PATH,
    HOME: '/nonexistent',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Dev One',
    GIT_AUTHOR_EMAIL: 'dev1@example.test',
    GIT_COMMITTER_NAME: 'Dev One',
    GIT_COMMITTER_EMAIL: 'dev1@example.test',
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
    LC_ALL: 'C',
  };
}
