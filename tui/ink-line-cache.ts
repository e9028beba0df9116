/**
 * Ink 6.8 turns every line of every frame into styled cells through Intl.Segmenter (ansi-tokenize), and keeps the
 * result in a cache that lives for one frame only. Most lines of a frame are the lines of the frame before (the
 * header, hints, every list row but the two the cursor moved between), so this module hands each frame's Output the
 * same cache, bounded, and Ink skips re-tokenizing them: about half its render time per keystroke (bench/tui.js).
 * Lines it has not seen take a fast path when they are plain ASCII (`addAsciiFastPath`).
 *
 * It reaches into Ink's build (`build/output.js`, not an exported path) by file URL. If a later Ink changes that
 * shape, `shareInkLineCache` finds no cache to share and changes nothing: frames stay correct, only slower. The cached
 * values are what Ink itself computed for the same string, so sharing them cannot change a frame.
 */
/** About ten frames of lines: enough to cover moving back and forth, small enough to stay a few MB. */
const MAX_CACHED_LINES = 600;

interface OutputCaches {
  readonly widths: Map<string, number>;
  readonly blockWidths: Map<string, number>;
  readonly styledChars: Map<string, unknown>;
  getStyledChars(line: string): unknown;
}

interface AnsiTokenize {
  tokenize(text: string): unknown[];
  styledCharsFromTokens(tokens: unknown[]): unknown;
}

/** Printable ASCII and SGR colour codes only: each character is its own grapheme, one column wide. */
const ASCII_WITH_SGR = /^(?:[\x20-\x7e]|\x1b\[[0-9;]*m)*$/;
const SGR = /\x1b\[[0-9;]*m/y;
/** New lines checked against the library's own tokenizer before the fast path is trusted on its own. */
const SELF_CHECKS = 64;

/**
 * A cache miss costs Ink a grapheme segmentation (Intl.Segmenter) of the whole line, about 3 µs a character: most of
 * the render of a list whose 45 rows all changed. For lines of printable ASCII and colour codes, where every character
 * is its own one-column grapheme, the tokens are built directly (escape codes still go through the library's
 * tokenizer) and handed to the library's own styledCharsFromTokens. The first lines are also built the slow way and
 * compared; any difference turns the fast path off for good.
 */
async function addAsciiFastPath(caches: OutputCaches): Promise<void> {
  let library: AnsiTokenize;
  try {
    library = (await import('@alcalzone/ansi-tokenize' as string)) as AnsiTokenize;
  } catch {
    return;
  }
  const slow = caches.getStyledChars.bind(caches);
  let checksLeft = SELF_CHECKS;
  let trusted = true;
  fastPathState = () => (!trusted ? 'distrusted' : checksLeft > 0 ? 'checking' : 'trusted');
  const fast = (line: string): unknown => {
    const tokens: unknown[] = [];
    for (let i = 0; i < line.length; ) {
      if (line.charCodeAt(i) === 0x1b) {
        SGR.lastIndex = i;
        const code = SGR.exec(line)![0];
        tokens.push(...library.tokenize(code));
        i += code.length;
      } else {
        tokens.push({ type: 'char', value: line[i], fullWidth: false });
        i += 1;
      }
    }
    return library.styledCharsFromTokens(tokens);
  };
  caches.getStyledChars = (line: string) => {
    const cached = caches.styledChars.get(line);
    if (cached !== undefined) return cached;
    if (!trusted || !ASCII_WITH_SGR.test(line)) return slow(line);
    const chars = fast(line);
    if (checksLeft > 0) {
      checksLeft -= 1;
      const reference = library.styledCharsFromTokens(library.tokenize(line));
      if (JSON.stringify(reference) !== JSON.stringify(chars)) {
        trusted = false;
        return slow(line);
      }
    }
    caches.styledChars.set(line, chars);
    return chars;
  };
}

interface OutputPrototype {
  get(this: { caches: OutputCaches }): unknown;
}

let shared: 'pending' | 'shared' | 'unavailable' | undefined;
let fastPathState: () => 'unavailable' | 'checking' | 'trusted' | 'distrusted' = () => 'unavailable';

let sharedCaches: OutputCaches | undefined;

/** For tests: the styled cells the shared cache gives Ink for a line (fast path included). */
export function sharedStyledChars(line: string): unknown {
  if (!sharedCaches) throw new Error('shareInkLineCache() has not installed the shared cache');
  return sharedCaches.getStyledChars(line);
}

/** For the benchmark and tests: is the cache shared, and did the ASCII fast path pass its self-checks? */
export function inkLineCacheStatus(): { shared: boolean; asciiFastPath: ReturnType<typeof fastPathState> } {
  return { shared: shared === 'shared', asciiFastPath: fastPathState() };
}

/** Idempotent; resolves to whether the cache is now shared across frames. */
export async function shareInkLineCache(): Promise<boolean> {
  if (shared === 'shared') return true;
  if (shared === 'unavailable') return false;
  shared = 'pending';
  try {
    const outputUrl = new URL('./output.js', import.meta.resolve('ink'));
    const { default: Output } = (await import(outputUrl.href)) as { default: (new (options: { width: number; height: number }) => { caches?: unknown }) & { prototype: OutputPrototype } };
    const probe = new Output({ width: 1, height: 1 }).caches as Partial<OutputCaches> | undefined;
    if (!(probe?.widths instanceof Map && probe.blockWidths instanceof Map && probe.styledChars instanceof Map) || typeof Output.prototype.get !== 'function') {
      shared = 'unavailable';
      return false;
    }
    const caches = probe as OutputCaches;
    await addAsciiFastPath(caches);
    sharedCaches = caches;
    const get = Output.prototype.get;
    Output.prototype.get = function sharedCacheGet(this: { caches: OutputCaches }) {
      // A bounded cache: dropping it all at once is simpler than LRU and costs one slow frame per few hundred.
      if (caches.styledChars.size > MAX_CACHED_LINES || caches.widths.size > MAX_CACHED_LINES * 8) {
        caches.styledChars.clear();
        caches.widths.clear();
        caches.blockWidths.clear();
      }
      this.caches = caches;
      return get.call(this);
    };
    shared = 'shared';
    return true;
  } catch {
    shared = 'unavailable';
    return false;
  }
}
