/** The coverage scope of one artifact source: a source that could not be listed leaves only its own findings open. */
export function sourceScope(source: string): string {
  return `source:${source}`;
}

/**
 * The scope of one artifact version's findings. Findings are scoped per version so a run can report only the versions
 * whose matches changed: the ledger resolves absent findings only in the scopes a run says it covered.
 */
export function versionScope(source: string, artifact: string, version: string): string {
  return `source:${source}/${artifact}@${version}`;
}
