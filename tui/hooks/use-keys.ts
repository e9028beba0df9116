import { useInput, type Key } from 'ink';
import { createContext, useCallback, useContext, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';

export type KeyHandler = (input: string, key: Key) => void;

interface Entry {
  readonly handler: RefObject<KeyHandler>;
  readonly active: RefObject<boolean>;
}

export interface Keyboard {
  register(entry: Entry): () => void;
}

/**
 * When the app is busy (a loaded machine, a paste, tmux send-keys) several keys reach stdin before Ink reads it, and
 * Ink hands plain text over as one input: `/ sev:critical` would reach the list as a single unknown key instead of
 * "open the filter, then type into it". Splits such a chunk back into one key per character. Pure.
 */
export function splitTyped(input: string, key: Key): { input: string; key: Key }[] {
  const chars = Array.from(input);
  if (chars.length <= 1 || key.ctrl || key.meta || key.escape) return [{ input, key }];
  return chars.map((char) => {
    const code = char.charCodeAt(0);
    const named = /[\r\n\t\b\u007F]/.test(char);
    // Control characters other than those are Ctrl+letter chords, which Ink reports as the letter with ctrl set.
    const chord = !named && code >= 1 && code <= 26;
    return {
      input: named ? '' : chord ? String.fromCharCode(code + 96) : char,
      key: { ...key, ctrl: chord, return: char === '\r' || char === '\n', tab: char === '\t', backspace: char === '\b', delete: char === '\u007F', shift: !chord && char !== char.toLowerCase() },
    };
  });
}

/**
 * One stdin subscription for the whole app, with handlers registered in layout effects and read through refs.
 * Ink's own useInput subscribes in a passive effect, so a key that arrives right after a screen or prompt appears
 * (typed fast, pasted, or sent by tmux) reached the old handler or none; here the new handler is in place as soon as
 * React has committed. React commits a key's updates in a later task of its scheduler, not synchronously, so keys that
 * arrived together are dispatched one at a time, each after the commit of the one before ("/" must have opened the
 * filter before the next key is read).
 */
export function useKeyboardRoot(): Keyboard {
  const entries = useRef<Entry[]>([]);
  const queued = useRef<{ input: string; key: Key }[]>([]);
  // Set from a dispatch until React has committed what that key changed; keys arriving meanwhile wait in `queued`.
  const uncommitted = useRef(false);
  // Bumped with every key, so the root re-renders in the same batch as the key's own updates: its layout effect then
  // runs once the whole tree has committed, which is when the next key may be dispatched.
  const [, setCommits] = useState(0);
  const dispatchOne = useCallback((input: string, key: Key) => {
    for (const entry of [...entries.current]) if (entry.active.current) entry.handler.current(input, key);
  }, []);
  const drain = useCallback(() => {
    const next = queued.current.shift();
    if (!next) return;
    uncommitted.current = true;
    dispatchOne(next.input, next.key);
    setCommits((n) => n + 1);
  }, [dispatchOne]);
  useLayoutEffect(() => {
    if (!uncommitted.current) return;
    uncommitted.current = false;
    if (queued.current.length > 0) setTimeout(drain, 0);
  });
  const dispatch = useCallback(
    (input: string, key: Key) => {
      queued.current.push(...splitTyped(input, key));
      if (!uncommitted.current) drain();
    },
    [drain],
  );
  useInput(dispatch);
  return useMemo(
    () => ({
      register(entry: Entry) {
        entries.current.push(entry);
        return () => {
          entries.current = entries.current.filter((e) => e !== entry);
        };
      },
    }),
    [],
  );
}

export const KeyboardContext = createContext<Keyboard | null>(null);

/** Like Ink's useInput, but safe for keys that arrive the moment this component appears. */
export function useKeys(handler: KeyHandler, active: boolean, keyboard?: Keyboard): void {
  const fromContext = useContext(KeyboardContext);
  const target = keyboard ?? fromContext;
  if (!target) throw new Error('useKeys outside <KeyboardContext.Provider>');
  const handlerRef = useRef(handler);
  const activeRef = useRef(active);
  handlerRef.current = handler;
  activeRef.current = active;
  useLayoutEffect(() => target.register({ handler: handlerRef, active: activeRef }), [target]);
}
