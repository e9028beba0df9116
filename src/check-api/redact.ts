import { createHash } from 'node:crypto';

/**
 * The only way secret material becomes evidence. No persisted, logged or sent type has a field that can hold the raw
 * string: callers keep the raw value inside the detector and pass only this out.
 */
export interface RedactedSecret {
  readonly sha256: string;
  readonly preview: string;
  readonly length: number;
}

export function redactSecret(raw: string): RedactedSecret {
  const sha256 = createHash('sha256').update(raw, 'utf8').digest('hex');
  // Short values reveal too much with any preview at all.
  const preview = raw.length >= 16 ? `${raw.slice(0, 4)}…${raw.slice(-3)}` : raw.length >= 8 ? `${raw.slice(0, 2)}…` : '…';
  return Object.freeze({ sha256, preview, length: raw.length });
}
