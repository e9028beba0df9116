import { isScalar, visit, type Document, type LineCounter } from 'yaml';
import { formatPath, type ConfigPath } from './yaml-positions.js';

export interface InterpolationProblem {
  readonly path: string;
  readonly line: number | undefined;
  readonly message: string;
}

/**
 * Replaces `${NAME}` and `${NAME:-default}` in string scalars with environment values, in place, so credentials stay
 * out of the file. A missing variable without a default is an error at that key and line: an empty token would only
 * fail later, far from its cause. `$${NAME}` escapes a literal `${NAME}`.
 */
export function interpolateEnv(doc: Document, lineCounter: LineCounter, env: NodeJS.ProcessEnv): InterpolationProblem[] {
  const problems: InterpolationProblem[] = [];
  visit(doc, {
    Scalar(key, node, ancestry) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('${')) return;
      const path = pathOf(ancestry);
      node.value = node.value.replace(/(\$?)\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (whole, escape: string, name: string, fallback?: string) => {
        if (escape === '$') return whole.slice(1);
        const value = env[name];
        if (value !== undefined && value !== '') return value;
        if (fallback !== undefined) return fallback;
        problems.push({
          path: formatPath(path),
          line: node.range ? lineCounter.linePos(node.range[0]).line : undefined,
          message: `environment variable ${name} is not set`,
        });
        return '';
      });
    },
  });
  return problems;
}

function pathOf(ancestry: readonly unknown[]): ConfigPath {
  const path: (string | number)[] = [];
  for (let i = 0; i < ancestry.length; i++) {
    const item = ancestry[i] as { items?: unknown[]; key?: unknown; value?: unknown };
    const next = ancestry[i + 1];
    if (item && Array.isArray(item.items) && next !== undefined) {
      const index = item.items.indexOf(next);
      if (index >= 0 && !(next as { key?: unknown }).key) path.push(index);
    }
    if (item && 'key' in item && 'value' in item && isScalar(item.key)) path.push(String(item.key.value));
  }
  return path;
}
