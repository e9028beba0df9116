/** Where the router can be. Findings carry their filter so `:findings sev:high` and a drill-down from Checks are one thing. */
export type Route =
  | { readonly screen: 'overview' }
  | { readonly screen: 'checks' }
  | { readonly screen: 'findings'; readonly query: string }
  | { readonly screen: 'finding'; readonly fingerprint: string }
  | { readonly screen: 'runs' }
  | { readonly screen: 'help' };

export type ScreenName = Route['screen'];

export const DEFAULT_FINDINGS_QUERY = 'status:active';

/** What the router hands every screen. Screens render at most `height` lines and read keys only while `active`. */
export interface ScreenProps {
  readonly height: number;
  readonly width: number;
  readonly active: boolean;
  readonly navigate: (route: Route) => void;
}
