/**
 * Ink 6.8 turns every line of every frame into styled cells through Intl.Segmenter (ansi-tokenize), and keeps the
 * result in a cache that lives for one frame only. Most lines of a frame are the lines of the frame before (the
 * header, hints, every list row but the two the cursor moved between), so this module hands each frame's Output the
 * same cache, bounded, and Ink skips re-tokenizing them: about half its render time per keystroke (bench/tui.js).
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
}

interface OutputPrototype {
  get(this: { caches: OutputCaches }): unknown;
}

let shared: 'pending' | 'shared' | 'unavailable' | undefined;

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
