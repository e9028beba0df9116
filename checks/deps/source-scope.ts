/** The coverage scope of one artifact source: a source that could not be listed leaves only its own findings open. */
export function sourceScope(source: string): string {
  return `source:${source}`;
}
