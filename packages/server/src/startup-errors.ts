import { redactedDatabaseUrl } from './store/redacted-url.js';
import { ConfigError } from './config.js';

function codeOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    if (e instanceof AggregateError) return codeOf(e.errors[0]);
  }
  return undefined;
}

function messageOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return messageOf(error.errors[0]);
  return error instanceof Error ? error.message : String(error);
}

/** Errors a file-system call gives when a folder cannot be made or written. */
const FILE_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST', 'ENOSPC', 'ENOENT', 'EISDIR']);

/**
 * What went wrong opening the database or the data folder, as a ConfigError naming the setting
 * to look at; undefined when the error is not one of those (it is then rethrown as it is).
 * `explicitDatabase` is whether GATEHOUSE_DATABASE_URL was set, which decides which variable a
 * SQLite file's folder came from.
 */
export function startupConfigError(error: unknown, databaseUrl: string, dataDir: string, explicitDatabase: boolean): ConfigError | undefined {
  if (error instanceof ConfigError) return error;
  const code = codeOf(error);
  const message = messageOf(error).slice(0, 300);
  const syscall = (error as { syscall?: unknown } | null)?.syscall;
  const path = (error as { path?: unknown } | null)?.path;
  if (code && FILE_CODES.has(code) && typeof syscall === 'string' && typeof path === 'string') {
    const inData = path === dataDir || path.startsWith(`${dataDir}/`);
    const variable = inData || !explicitDatabase ? 'GATEHOUSE_DATA_DIR' : 'GATEHOUSE_DATABASE_URL';
    const what = inData ? `the data folder ${dataDir}` : `the database file's folder`;
    return new ConfigError(
      variable,
      `${what} cannot be created or written (${code} on ${path}); check that it exists or can be created, and that this user may write to it`,
    );
  }
  if (databaseUrl.startsWith('sqlite:')) {
    if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_PERM') {
      return new ConfigError('GATEHOUSE_DATABASE_URL', `cannot open the SQLite database ${databaseUrl.slice('sqlite:'.length)} for writing (${code})`);
    }
    return undefined;
  }
  const shown = redactedDatabaseUrl(databaseUrl);
  if (code === '28P01' || code === '28000')
    return new ConfigError('GATEHOUSE_DATABASE_URL', `the database at ${shown} refused the user name or password (${message})`);
  if (code === '3D000') return new ConfigError('GATEHOUSE_DATABASE_URL', `the database at ${shown} does not exist (${message}); create it first`);
  if (
    code === undefined
      ? /connect|timeout|terminated/i.test(message)
      : /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)$/.test(code) || /^08|^57P0|^53/.test(code)
  ) {
    return new ConfigError('GATEHOUSE_DATABASE_URL', `cannot reach the database at ${shown} (${code ?? message}); is PostgreSQL running there?`);
  }
  return undefined;
}

/** Listening failed: the port is taken, or this user may not bind it. */
export function listenConfigError(error: unknown, variable: string, host: string, port: number): ConfigError | undefined {
  const code = codeOf(error);
  if (code === 'EADDRINUSE')
    return new ConfigError(
      variable,
      `port ${port} on ${host} is already in use (another Gatehouse or another program listens there); choose another with ${variable}`,
    );
  if (code === 'EACCES')
    return new ConfigError(variable, `this user may not listen on port ${port} on ${host} (ports below 1024 need privileges); choose another with ${variable}`);
  if (code === 'EADDRNOTAVAIL') return new ConfigError(variable === 'PORT' ? 'GATEHOUSE_HOST' : variable, `${host} is not an address of this machine`);
  return undefined;
}
