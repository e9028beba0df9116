import { execFileSync, spawnSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { registry } from '../../checks/registry.js';
import { openStore } from '../../src/store/db.js';
import { FIXTURE_CATALOG, seedSmallPosture } from '../../tui/examples/fixture.js';
import { useTempDir } from '../builders/temp-dir.js';

const tempDir = useTempDir('vigil-tui-tmux-');
const BIN = resolve('bin/audit.js');

/** Never skipped: CI runs on machines with tmux, and a missing tmux must be a visible failure, not a silent pass. */
function requireTmux(): void {
  const probe = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error('the TUI end-to-end test needs tmux on PATH (Debian/Ubuntu: apt-get install -y tmux); it is not skipped on purpose');
  }
}

class Pane {
  /** Read when a wait times out, so a failure says whether the TUI crashed, exited or never drew. */
  diagnostics: () => string = () => '';
  constructor(readonly socket: string) {}
  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }
  capture(): string {
    return this.tmux('capture-pane', '-p', '-t', 'vigil');
  }
  send(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'vigil', ...keys);
  }
  /** Types text literally (-l), the way a person would, one chunk. */
  type(text: string): void {
    this.tmux('send-keys', '-t', 'vigil', '-l', text);
  }
  async waitFor(predicate: (pane: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let pane = '';
    while (Date.now() < deadline) {
      pane = this.capture();
      if (predicate(pane)) return pane;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}; pane was:\n${pane}\n${this.diagnostics()}`);
  }
}

describe('audit tui in a real terminal (tmux)', () => {
  test('starts on the overview, filters, drills into a finding, mutes it with a reason, quits cleanly, all within 80x24', async () => {
    requireTmux();
    const dir = tempDir();
    const dbPath = join(dir, 'ledger.db');
    const seed = openStore(dbPath);
    seedSmallPosture(seed, Date.now());
    seed.close();
    const pane = new Pane(`vigil-e2e-${process.pid}`);
    const exitFile = join(dir, 'exit-code');
    const stderrFile = join(dir, 'stderr');
    const startedAt = Date.now();
    pane.diagnostics = () => {
      const read = (file: string) => spawnSync('cat', [file], { encoding: 'utf8' }).stdout.trim() || '(none)';
      return `after ${Date.now() - startedAt} ms; exit code: ${read(exitFile)}; stderr: ${read(stderrFile)}`;
    };
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} --db ${JSON.stringify(dbPath)} tui 2> ${JSON.stringify(stderrFile)}; echo $? > ${JSON.stringify(exitFile)}; sleep 30`;
    // CI=true on purpose: Ink draws nothing under is-in-ci, and `audit tui` at a real terminal must draw anyway.
    pane.tmux('new-session', '-d', '-s', 'vigil', '-x', '80', '-y', '24', '-e', 'VIGIL_CONFIG=', '-e', 'CI=true', command);
    try {
      // Generous for a loaded 2-core box; `audit tui` no longer imports every check before it draws.
      const overview = await pane.waitFor((p) => p.includes('Vigil Overview') && p.includes('Next runs'), 'the overview', 45_000);
      expect(overview).toContain('Open findings 8  critical 1  high 5  medium 1  low 1  info 0');
      expect(overview).toContain('failed  secrets.history [payments-repo]');

      // Resizing redraws at the new size, still one line short of the terminal.
      pane.tmux('resize-window', '-t', 'vigil', '-x', '100', '-y', '30');
      const resized = await pane.waitFor((p) => p.replace(/\n$/, '').split('\n')[28]?.startsWith(': views') === true, 'the frame redrawn for 100x30');
      expect(resized.replace(/\n$/, '').split('\n')[29]).toBe('');
      pane.tmux('resize-window', '-t', 'vigil', '-x', '80', '-y', '24');
      await pane.waitFor((p) => p.replace(/\n$/, '').split('\n')[22]?.startsWith(': views') === true, 'the frame redrawn for 80x24');

      // The check list includes checks that never ran: their titles come from the registry, which `audit tui` loads
      // after the first frame rather than before it.
      const seeded = new Set(FIXTURE_CATALOG.map((check) => check.id));
      // Among the first rows (ids sorted), one that fits the 28-column CHECK cell at 80x24.
      const neverRun = registry.all.map((check) => check.id).filter((id) => !seeded.has(id)).sort().slice(0, 15).find((id) => id.length <= 27)!;
      pane.send(':');
      await pane.waitFor((p) => p.includes('overview · checks · findings [filter]'), 'the command line');
      pane.type('checks');
      pane.send('Enter');
      await pane.waitFor((p) => p.includes('Vigil Overview › Checks') && p.includes(neverRun), `the check list with ${neverRun}`);

      pane.send(':');
      await pane.waitFor((p) => p.includes('overview · checks · findings [filter]'), 'the command line');
      pane.type('findings');
      pane.send('Enter');
      await pane.waitFor((p) => p.includes('filter: status:active 8 findings'), 'the findings list');

      pane.send('/');
      pane.type(' sev:critical');
      pane.send('Enter');
      const filtered = await pane.waitFor((p) => p.includes('filter: status:active sev:critical 1 finding'), 'the filtered list');
      expect(filtered).toMatch(/critical new\s+aws\.iam\.root-mfa\s+Root account has no MFA/);

      pane.send('Enter');
      const detail = await pane.waitFor((p) => p.includes('Vigil Overview › Findings › Finding'), 'the finding detail');
      expect(detail).toContain('resource arn:aws:iam::123456789012:root');
      expect(detail).toContain('"mfaActive": false');

      pane.send('m');
      await pane.waitFor((p) => p.includes('Mute: why?'), 'the reason prompt');
      pane.type('tracked in SEC-1');
      pane.send('Enter');
      await pane.waitFor((p) => /mute: [0-9a-f]{12} by /.test(p), 'the confirmation');
      const muted = await pane.waitFor((p) => p.includes('decision muted'), 'the refreshed detail');
      // The live frame stays below the terminal's height, so nothing ever scrolls into (or wipes) the scrollback.
      const rows = muted.replace(/\n$/, '').split('\n');
      expect(rows).toHaveLength(24);
      expect(rows[23]).toBe('');
      expect(rows[22]).toMatch(/mute: [0-9a-f]{12} by /);
      expect(pane.tmux('display-message', '-p', '-t', 'vigil', '#{history_size}').trim()).toBe('0');

      pane.send('q');
      await pane.waitFor((p) => p.includes('filter: status:active sev:critical'), 'back on the list');
      pane.send('q');
      pane.send('q');
      await pane.waitFor(() => spawnSync('cat', [exitFile], { encoding: 'utf8' }).stdout.trim() === '0', 'a clean exit with code 0');
      // Leaving the alternate screen hands the terminal back as it was.
      expect(pane.capture()).not.toContain('Vigil Overview');
    } finally {
      spawnSync('tmux', ['-L', pane.socket, 'kill-server']);
    }
    const db = openStore(dbPath, { readonly: true });
    try {
      const events = db.prepare(`SELECT type, actor, reason FROM finding_events WHERE type = 'decision_muted' AND reason = 'tracked in SEC-1'`).all();
      expect(events).toEqual([{ type: 'decision_muted', actor: userInfo().username, reason: 'tracked in SEC-1' }]);
    } finally {
      db.close();
    }
  }, 90_000);
});
