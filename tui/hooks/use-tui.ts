import { createContext, useContext } from 'react';
import type { TuiData } from '../data/source.js';

/** The one context screens read: the data source, who is acting, and the app-wide signals. */
export interface TuiContextValue {
  readonly data: TuiData;
  readonly actor: string;
  readonly readOnly: boolean;
  readonly now: () => number;
  /** Bumps whenever the ledger changed (live refresh); query hooks list it as a dependency. */
  readonly version: number;
  /** Re-reads now, after this process wrote something. */
  readonly refresh: () => void;
  /** A screen that is reading text (a filter, a reason) takes the keyboard; global keys stand down meanwhile. */
  readonly setCapturing: (capturing: boolean) => void;
  /** A one-line message on the status bar: action results and refusals. */
  readonly flash: (message: string, kind?: 'info' | 'error') => void;
}

export const TuiContext = createContext<TuiContextValue | null>(null);

export function useTui(): TuiContextValue {
  const value = useContext(TuiContext);
  if (!value) throw new Error('useTui outside <TuiContext.Provider>');
  return value;
}
