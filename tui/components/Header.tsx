import { Text } from 'ink';
import type { Route } from '../routes.js';
import { theme } from '../theme.js';

const TITLES: Record<Route['screen'], string> = {
  overview: 'Overview',
  checks: 'Checks',
  findings: 'Findings',
  finding: 'Finding',
  runs: 'Runs',
  help: 'Help',
};

export function Header({ stack, readOnly, actor }: { readonly stack: readonly Route[]; readonly readOnly: boolean; readonly actor: string }) {
  return (
    <Text wrap="truncate">
      <Text bold color={theme.accent}>
        Vigil
      </Text>{' '}
      {stack.map((route) => TITLES[route.screen]).join(' › ')}
      <Text color={theme.dim}>
        {'  '}
        {actor}
      </Text>
      {readOnly ? <Text color={theme.status.reopened}> [read-only]</Text> : null}
    </Text>
  );
}
