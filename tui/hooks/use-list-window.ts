import { useState } from 'react';
import { moveWindow, type ListMove, type ListWindow } from './list-window.js';

/**
 * Cursor and offset for a windowed list of `count` rows showing `height`. A new `resetKey` (a new filter or sort)
 * starts again at the top within the same render, so a filter keystroke costs one query, not two.
 */
export function useListWindow(count: number, height: number, resetKey = ''): ListWindow & { move: (move: ListMove) => void } {
  const [state, setState] = useState<ListWindow & { key: string }>({ cursor: 0, offset: 0, key: resetKey });
  const base = state.key === resetKey ? state : { cursor: 0, offset: 0 };
  const clamped = moveWindow(base, count, height, { to: 'delta', by: 0 });
  return {
    ...clamped,
    move: (move) =>
      setState((current) => ({ ...moveWindow(current.key === resetKey ? current : { cursor: 0, offset: 0 }, count, height, move), key: resetKey })),
  };
}
