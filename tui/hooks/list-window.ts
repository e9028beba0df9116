import { Command } from '../keymap.js';
/** Cursor and scroll offset of a windowed list: only `height` rows are ever fetched and rendered. */
export interface ListWindow {
  readonly cursor: number;
  readonly offset: number;
}

export type ListMove = { readonly to: 'delta'; readonly by: number } | { readonly to: 'top' } | { readonly to: 'bottom' } | { readonly to: 'index'; readonly index: number };

/** Pure: moves the cursor and scrolls just enough to keep it in view. */
export function moveWindow(state: ListWindow, count: number, height: number, move: ListMove): ListWindow {
  const visible = Math.max(1, height);
  if (count <= 0) return { cursor: 0, offset: 0 };
  let cursor: number;
  switch (move.to) {
    case 'delta':
      cursor = state.cursor + move.by;
      break;
    case 'top':
      cursor = 0;
      break;
    case 'bottom':
      cursor = count - 1;
      break;
    case 'index':
      cursor = move.index;
      break;
  }
  cursor = Math.min(Math.max(cursor, 0), count - 1);
  let offset = Math.min(state.offset, Math.max(0, count - visible));
  if (cursor < offset) offset = cursor;
  if (cursor >= offset + visible) offset = cursor - visible + 1;
  return { cursor, offset: Math.max(0, offset) };
}


/** The movement a list command means, for a list showing `page` rows. */
export function listMoveFor(command: Command | undefined, page: number): ListMove | undefined {
  switch (command) {
    case Command.Up:
      return { to: 'delta', by: -1 };
    case Command.Down:
      return { to: 'delta', by: 1 };
    case Command.PageUp:
      return { to: 'delta', by: -Math.max(1, page - 1) };
    case Command.PageDown:
      return { to: 'delta', by: Math.max(1, page - 1) };
    case Command.Top:
      return { to: 'top' };
    case Command.Bottom:
      return { to: 'bottom' };
    default:
      return undefined;
  }
}
