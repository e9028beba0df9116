/**
 * A module resolve hook (node:module `register`) for `audit tui` only: Ink imports `{ throttle }` from the
 * `es-toolkit/compat` barrel, which loads 415 modules; this sends that one import to a shim that loads one. Every other
 * specifier resolves as usual. If Ink stops importing the barrel, the hook simply never matches.
 */
const SHIM = new URL('./es-toolkit-throttle.js', import.meta.url).href;

interface ResolveContext {
  readonly parentURL?: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<unknown>;

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<unknown> {
  if (specifier === 'es-toolkit/compat' && context.parentURL?.includes('/node_modules/ink/')) return { url: SHIM, shortCircuit: true };
  return next(specifier, context);
}
