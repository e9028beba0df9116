import { useInput, type Key } from 'ink';
import { createContext, useCallback, useContext, useLayoutEffect, useMemo, useRef, type RefObject } from 'react';

export type KeyHandler = (input: string, key: Key) => void;

interface Entry {
  readonly handler: RefObject<KeyHandler>;
  readonly active: RefObject<boolean>;
}

export interface Keyboard {
  register(entry: Entry): () => void;
}

/**
 * One stdin subscription for the whole app, with handlers registered in layout effects and read through refs.
 * Ink's own useInput subscribes in a passive effect, so a key that arrives right after a screen or prompt appears
 * (typed fast, pasted, or sent by tmux) reached the old handler or none; here the new handler is in place as soon as
 * React has committed, which happens synchronously after each key.
 */
export function useKeyboardRoot(): Keyboard {
  const entries = useRef<Entry[]>([]);
  const dispatch = useCallback((input: string, key: Key) => {
    for (const entry of [...entries.current]) if (entry.active.current) entry.handler.current(input, key);
  }, []);
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
