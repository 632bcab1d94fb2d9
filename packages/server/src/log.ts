import pino from 'pino';

/**
 * Structured logs through pino: one JSON object a line, `event` naming what happened. Callers
 * pass only what is safe to keep: never tokens, codes, secrets or passwords, and errors go through
 * describeError, which keeps the message and drops the rest. The fields named in REDACTED are
 * censored besides, should one ever be passed by mistake.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export interface Logger {
  log(level: LogLevel, event: string, fields?: Record<string, unknown>): void;
  /** Writes what is buffered (on shutdown). */
  flush?(): void;
}

// Top-level keys only: fast-redact compiles them once, and nested objects are not logged.
const REDACTED = [
  'password',
  'secret',
  'client_secret',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'code',
  'code_verifier',
  'authorization',
  'cookie',
];

/**
 * A logger writing JSON lines at `min` and above: to `write` when given (tests, CLI commands
 * that keep stdout for their output), else to stdout through pino's buffered destination.
 */
export function createLogger(min: LogLevel = 'info', write?: (line: string) => void): Logger {
  const destination = write ? { write: (line: string) => write(line.endsWith('\n') ? line.slice(0, -1) : line) } : pino.destination({ dest: 1, sync: false });
  const base = pino(
    {
      level: min,
      messageKey: 'event',
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED, censor: '[redacted]' },
    },
    destination,
  );
  return {
    log(level, event, fields) {
      if (fields === undefined) base[level](event);
      else base[level](fields, event);
    },
    flush() {
      if (!write) base.flush();
    },
  };
}

export const silentLogger: Logger = { log() {}, flush() {} };

/** GATEHOUSE_LOG_LEVEL's value, checked by config.ts. */
export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/** The name and message of an error, without stack or attached data. */
export function describeError(error: unknown): { error: string } {
  if (error instanceof Error) return { error: `${error.name}: ${error.message}`.slice(0, 500) };
  return { error: String(error).slice(0, 500) };
}
