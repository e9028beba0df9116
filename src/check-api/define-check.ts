import type { z } from 'zod';
import type { CheckDefinition, Collector } from './types.js';

const ID_PATTERN = /^[a-z0-9]+(\.[a-z0-9]+(-[a-z0-9]+)*)+$/;

/**
 * Declares a check. Types of `evaluate`'s inputs are inferred from `needs` and its options from the zod schema, so
 * there is one source of truth for both. The definition is frozen: results are new values, never mutations of it.
 */
export function defineCheck<OptionsSchema extends z.ZodType, Needs extends Record<string, Collector<any, any>>>(
  definition: CheckDefinition<OptionsSchema, Needs>,
): Readonly<CheckDefinition<OptionsSchema, Needs>> {
  if (!ID_PATTERN.test(definition.id)) {
    throw new Error(`check id '${definition.id}' must be dotted lower-case words, e.g. ports.unexpected-open`);
  }
  if (definition.id.split('.')[0] !== definition.area) {
    throw new Error(`check id '${definition.id}' must start with its area '${definition.area}'`);
  }
  return Object.freeze({ ...definition, references: Object.freeze([...definition.references]) });
}
