import { Box, Text, useApp } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { parseCommandLine } from './command-line.js';
import { Header } from './components/Header.js';
import { TextPrompt } from './components/TextPrompt.js';
import type { TuiData } from './data/source.js';
import { KeyboardContext, useKeyboardRoot, useKeys } from './hooks/use-keys.js';
import { useLiveVersion } from './hooks/use-live-version.js';
import { useTerminalSize, type TerminalSize } from './hooks/use-terminal-size.js';
import { TuiContext, type TuiContextValue } from './hooks/use-tui.js';
import { Command, commandFor } from './keymap.js';
import type { Route, ScreenProps } from './routes.js';
import { ChecksScreen } from './screens/ChecksScreen.js';
import { FindingScreen } from './screens/FindingScreen.js';
import { FindingsScreen } from './screens/FindingsScreen.js';
import { HelpScreen } from './screens/HelpScreen.js';
import { OverviewScreen } from './screens/OverviewScreen.js';
import { RunsScreen } from './screens/RunsScreen.js';
import { theme } from './theme.js';

export interface AppProps {
  readonly data: TuiData;
  readonly actor: string;
  readonly readOnly: boolean;
  readonly now?: () => number;
  /** Pins the terminal size (tests, examples); otherwise follows the real terminal and its resizes. */
  readonly size?: TerminalSize;
  /** How often to look for ledger changes; 0 turns live refresh off. */
  readonly pollMs?: number;
  readonly initial?: Route;
}

function renderScreen(route: Route, props: ScreenProps) {
  switch (route.screen) {
    case 'overview':
      return <OverviewScreen {...props} />;
    case 'checks':
      return <ChecksScreen {...props} />;
    case 'findings':
      return <FindingsScreen {...props} query={route.query} />;
    case 'finding':
      return <FindingScreen {...props} fingerprint={route.fingerprint} />;
    case 'runs':
      return <RunsScreen {...props} />;
    case 'help':
      return <HelpScreen {...props} />;
  }
}

/**
 * The router: a stack of routes (drill-down pushes, `:` jumps, esc/q pops), the header and the status line. Screens
 * below the top stay mounted but hidden, so going back finds the list where it was left. The live frame is always
 * rows-1 lines: Ink clears the whole terminal, scrollback included, when a frame reaches the terminal's height.
 * Boxes clip vertically only: every line is already cut to the width (wrap="truncate", fixed-width cells), and a
 * horizontal clip makes Ink re-slice every line of every frame through slice-ansi, a third of its render time.
 */
export function App({ data, actor, readOnly, now = Date.now, size: fixedSize, pollMs = 1000, initial = { screen: 'overview' } }: AppProps) {
  const size = useTerminalSize(fixedSize);
  const { exit } = useApp();
  const { version, refresh } = useLiveVersion(data, now, pollMs);
  const [stack, setStack] = useState<readonly Route[]>([initial]);
  const [capturing, setCapturing] = useState(false);
  const [commandLine, setCommandLine] = useState(false);
  const [message, setMessage] = useState<{ text: string; kind: 'info' | 'error' } | undefined>(undefined);
  const messageTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const flash = useCallback((text: string, kind: 'info' | 'error' = 'info') => {
    setMessage({ text, kind });
    clearTimeout(messageTimer.current);
    messageTimer.current = setTimeout(() => setMessage(undefined), 6000);
  }, []);
  useEffect(() => () => clearTimeout(messageTimer.current), []);

  const context = useMemo<TuiContextValue>(() => ({ data, actor, readOnly, now, version, refresh, setCapturing, flash }), [data, actor, readOnly, now, version, refresh, flash]);
  const top = stack.at(-1)!;
  const back = () => (stack.length > 1 ? setStack(stack.slice(0, -1)) : exit());
  const jump = (route: Route) => setStack(route.screen === 'overview' ? [route] : [{ screen: 'overview' }, route]);

  const keyboard = useKeyboardRoot();
  useKeys(
    (input, key) => {
      switch (commandFor(input, key, top.screen)) {
        case Command.CommandMode:
          setMessage(undefined);
          setCommandLine(true);
          return;
        case Command.Help:
          if (top.screen !== 'help') setStack([...stack, { screen: 'help' }]);
          return;
        case Command.Back:
          if (stack.length > 1) setStack(stack.slice(0, -1));
          return;
        case Command.Quit:
          back();
          return;
        default:
          return;
      }
    },
    !capturing && !commandLine,
    keyboard,
  );

  const frameHeight = Math.max(3, size.rows - 1);
  const bodyHeight = frameHeight - 2;
  return (
    <TuiContext.Provider value={context}>
      <KeyboardContext.Provider value={keyboard}>
      <Box flexDirection="column" width={size.columns} height={frameHeight} overflowY="hidden">
        <Header stack={stack} readOnly={readOnly} actor={actor} />
        {stack.map((route, index) => (
          <Box key={`${index}:${route.screen}`} display={index === stack.length - 1 ? 'flex' : 'none'} height={bodyHeight} flexDirection="column" overflowY="hidden">
            {renderScreen(route, {
              height: bodyHeight,
              width: size.columns,
              active: index === stack.length - 1 && !commandLine,
              navigate: (next) => setStack([...stack.slice(0, index + 1), next]),
            })}
          </Box>
        ))}
        {commandLine ? (
          <TextPrompt
            label=":"
            active
            hint="overview · checks · findings [filter] · runs · help · q"
            hintColor={theme.dim}
            onCancel={() => setCommandLine(false)}
            onSubmit={(line) => {
              setCommandLine(false);
              const parsed = parseCommandLine(line);
              if (!parsed.ok) return flash(parsed.error, 'error');
              if ('quit' in parsed) return exit();
              jump(parsed.route);
            }}
          />
        ) : (
          <Text wrap="truncate" color={message?.kind === 'error' ? theme.error : message ? theme.ok : theme.dim}>
            {message?.text ?? ': views · ? help · q back/quit'}
          </Text>
        )}
      </Box>
      </KeyboardContext.Provider>
    </TuiContext.Provider>
  );
}
