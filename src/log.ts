import { pino, type Logger as PinoLogger, type LevelWithSilent } from 'pino';

export type Logger = PinoLogger;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Structured JSON on stderr, so stdout stays clean for tables, JSON and SARIF that pipelines consume. */
export function createLogger(level: LogLevel = 'info', destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino({ level: level as LevelWithSilent, base: { app: 'vigil' }, timestamp: pino.stdTimeFunctions.isoTime }, destination as any);
}

export const silentLogger: Logger = pino({ level: 'silent' });
