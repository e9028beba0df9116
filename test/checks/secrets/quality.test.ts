import { describe, expect, it } from 'vitest';
import { SECRET_RULES } from '../../../checks/secrets/rules/index.js';
import { createSecretScanner } from '../../../checks/secrets/scan/secret-scanner.js';
import { NEAR_MISSES, POSITIVE_GENERATORS } from './corpus.js';

const scanner = createSecretScanner(SECRET_RULES);
const SEEDS = 10;

// The bar: recall >= 0.95 on realistic synthetic secrets, at most 3% of near-misses flagged.
describe('detector quality on a generated corpus (formats, not the rules’ own samples)', () => {
  it(`finds at least 95% of ${Object.keys(POSITIVE_GENERATORS).length} formats × ${SEEDS} fresh secrets, and every format at least once`, () => {
    const missedByFormat: Record<string, number> = {};
    let total = 0;
    let found = 0;
    for (const [format, generate] of Object.entries(POSITIVE_GENERATORS)) {
      for (let seed = 0; seed < SEEDS; seed++) {
        total++;
        if (scanner.scanText(generate(`${format}#${seed}`)).length > 0) found++;
        else missedByFormat[format] = (missedByFormat[format] ?? 0) + 1;
      }
    }
    expect(Object.entries(missedByFormat).filter(([, missed]) => missed === SEEDS)).toEqual([]);
    expect(found / total, JSON.stringify(missedByFormat)).toBeGreaterThanOrEqual(0.95);
  });

  it(`flags at most 3% of ${NEAR_MISSES.length} near-misses`, () => {
    const flagged = NEAR_MISSES.filter((line) => scanner.scanText(line).length > 0);
    expect(flagged.length / NEAR_MISSES.length, JSON.stringify(flagged)).toBeLessThanOrEqual(0.03);
  });
});
