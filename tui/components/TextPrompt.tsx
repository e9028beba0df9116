import { Text } from 'ink';
import { useRef, useState } from 'react';
import type { Color } from '../theme.js';
import { useKeys } from '../hooks/use-keys.js';

export interface TextPromptProps {
  readonly label: string;
  readonly initial?: string;
  readonly active: boolean;
  readonly onChange?: (value: string) => void;
  readonly onSubmit: (value: string) => void;
  readonly onCancel: () => void;
  readonly hint?: string;
  readonly hintColor?: Color;
}

/**
 * One line of text input. Hand-written (not ink-text-input) because it shares the keyboard with the screen's own
 * useInput: it must swallow every key while active and hand Enter/Esc back as submit/cancel, nothing more.
 */
export function TextPrompt({ label, initial = '', active, onChange, onSubmit, onCancel, hint, hintColor }: TextPromptProps) {
  const [value, setValue] = useState(initial);
  // Keys can arrive faster than React re-renders (pasting, tmux send-keys): read and write the value through a ref.
  const current = useRef(initial);
  useKeys(
    (input, key) => {
      const value = current.current;
      if (key.return) return onSubmit(value);
      if (key.escape) return onCancel();
      let next = value;
      if (key.backspace || key.delete) next = value.slice(0, -1);
      else if (key.ctrl && input === 'u') next = '';
      // A paste arrives here one character at a time (useKeyboardRoot splits it), so Enter inside it submits.
      else if (input && !key.ctrl && !key.meta && !key.upArrow && !key.downArrow && !key.tab) next = value + input;
      if (next !== value) {
        current.current = next;
        setValue(next);
        onChange?.(next);
      }
    },
    active,
  );
  return (
    <Text wrap="truncate">
      <Text bold>{label}</Text>
      {value}
      <Text inverse> </Text>
      {hint ? <Text color={hintColor}> {hint}</Text> : null}
    </Text>
  );
}
