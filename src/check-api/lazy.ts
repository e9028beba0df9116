import type { Collector } from './types.js';

/**
 * Defers loading a collector (and the SDK it imports) until a run needs it. The registry imports every check when the
 * CLI starts; a check module that imported the AWS SDK or google-gax eagerly would make `audit --version` pay for them.
 * The wrapper has the loaded function's exact type, so `defineCheck` still infers `evaluate`'s inputs from it.
 */
export function lazyCollector<F extends Collector<any, any>>(load: () => Promise<F>): F {
  let loaded: Promise<F> | undefined;
  const wrapper = async (ctx: Parameters<F>[0]) => (await (loaded ??= load()))(ctx);
  return wrapper as F;
}

/** The same for a check's remediate step. */
export function lazyStep<F extends (input: any) => Promise<unknown>>(load: () => Promise<F>): F {
  let loaded: Promise<F> | undefined;
  const wrapper = async (input: Parameters<F>[0]) => (await (loaded ??= load()))(input);
  return wrapper as F;
}
