/** The coverage scope of one artifact source: a source that could not be listed leaves only its own findings open. */
export function sourceScope(source: string): string {
  return `source:${source}`;
}

/** The scope findings of one artifact version had before they were scoped per component (covered by full passes). */
export function versionScope(source: string, artifact: string, version: string): string {
  return `source:${source}/${artifact}@${version}`;
}

/**
 * The scope of the findings about one package in one artifact version. Findings are scoped this finely so a run can
 * report only the (artifact version, package) pairs whose matches changed: the ledger resolves absent findings only in
 * the scopes a run says it covered, so everything else stays exactly as the last run left it.
 */
export function componentScope(source: string, artifact: string, version: string, ecosystem: string, name: string): string {
  return `${versionScope(source, artifact, version)}#${ecosystem}/${name}`;
}
