import { Text } from 'ink';
import type { ActionPromptState } from '../hooks/use-actions.js';
import { theme } from '../theme.js';
import { TextPrompt } from './TextPrompt.js';

/** A screen's bottom line: the action prompt while one is open, otherwise the screen's key hints. */
export function Footer({ prompt, hints, active }: { readonly prompt: ActionPromptState | undefined; readonly hints: string; readonly active: boolean }) {
  if (prompt) return <TextPrompt key={prompt.key} label={prompt.label} active={active} onSubmit={prompt.submit} onCancel={prompt.cancel} hint="(enter ok · esc cancel)" hintColor={theme.dim} />;
  return (
    <Text color={theme.dim} wrap="truncate">
      {hints}
    </Text>
  );
}
