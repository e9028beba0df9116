/**
 * What Ink 6.8 needs from `es-toolkit/compat` (only `throttle`), without the 415-module barrel that import loads: one
 * second of a cold `audit tui` start on a loaded machine. `ink-resolve-hook.ts` points Ink's import here.
 */
export { default as throttle } from 'es-toolkit/compat/throttle';
