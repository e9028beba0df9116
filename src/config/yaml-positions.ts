import { isMap, isScalar, isSeq, LineCounter, type Document, type Node } from 'yaml';

export type ConfigPath = readonly (string | number)[];

/** `jobs[0].options.ports` — how a user reads a key path. */
export function formatPath(path: ConfigPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out === '' ? '(top level)' : out;
}

/**
 * Finds the line of a key path in the parsed YAML. When the path runs past what the file holds (a missing key), the
 * deepest node that exists is used, so the error still points near the problem.
 */
export function lineOf(doc: Document, lineCounter: LineCounter, path: ConfigPath, unknownKey?: string): number | undefined {
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  const walk = unknownKey === undefined ? path : [...path, unknownKey];
  for (const segment of walk) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
      if (segment !== unknownKey) offset = rangeStart(node) ?? offset;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) break;
      node = item;
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | undefined)?.range;
  return range ? range[0] : undefined;
}
