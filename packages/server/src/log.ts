/**
 * JSON lines on stderr. Callers pass only what is safe to keep: never tokens, codes, secrets or
 * passwords, and errors go through describeError, which keeps the message and drops the rest.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  log(level: LogLevel, event: string, fields?: Record<string, unknown>): void;
}

export function createLogger(min: LogLevel = 'info', write: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Logger {
  return {
    log(level, event, fields = {}) {
      if (ORDER[level] < ORDER[min]) return;
      write(JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }));
    },
  };
}

export const silentLogger: Logger = { log() {} };

/** The name and message of an error, without stack or attached data. */
export function describeError(error: unknown): { error: string } {
  if (error instanceof Error) return { error: `${error.name}: ${error.message}`.slice(0, 500) };
  return { error: String(error).slice(0, 500) };
}
