import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createLogger } from '../log.js';
import type { IssuerScope } from '../issuers/scope.js';
import { type Services, createServices, scopeOf } from '../services.js';
import { actingAs } from '../store/repos/events.js';
import { requireExistingDatabase } from './existing-database.js';
import { type CliIo, CliUsageError } from './io.js';

export type Subcommand = (args: string[], io: CliIo) => Promise<number>;

/** Picks the subcommand (`client create ...`); `--help` or `help` prints the group's usage. */
export async function dispatch(args: string[], io: CliIo, usage: string, subcommands: Record<string, Subcommand>): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined) throw new CliUsageError(`missing subcommand\n\n${usage}`);
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(usage);
    return 0;
  }
  const command = Object.hasOwn(subcommands, name) ? subcommands[name] : undefined;
  if (!command) throw new CliUsageError(`unknown subcommand "${name}"\n\n${usage}`);
  return command(rest, io);
}

/**
 * True when --help/-h appears before any "--". Checked before parsing so help still prints when
 * the rest of the line would not parse (the usual reason someone asks for it).
 */
export function wantsHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/** Wraps a subcommand so `--help` prints `help` instead of running it. */
export function withHelp(help: string, run: Subcommand): Subcommand {
  return async (args, io) => {
    if (wantsHelp(args)) {
      io.out(help);
      return 0;
    }
    return run(args, io);
  };
}

/** The common shape `<subcommand> [<id>] [--json]`. */
export function parseIdArgs(args: string[], names: string[]): { ids: string[]; json: boolean } {
  const { values, positionals: given } = parseOrUsage(() => parseArgs({ args, strict: true, allowPositionals: true, options: { json: { type: 'boolean' } } }));
  return { ids: positionals(given, names), json: values.json ?? false };
}

/** Runs a node:util parseArgs call; its complaints are usage mistakes (exit 2), not failures. */
export function parseOrUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (error instanceof Error && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      throw new CliUsageError(error.message);
    }
    throw error;
  }
}

/** Exactly `count` positional arguments, named in the message when missing. */
export function positionals(given: string[], names: string[]): string[] {
  if (given.length !== names.length) {
    const expected = names.map((n) => `<${n}>`).join(' ');
    throw new CliUsageError(given.length < names.length ? `missing ${expected}` : `unexpected argument "${given[names.length]}"`);
  }
  return given;
}

/**
 * Opens the same database as the server (config from the environment), runs `fn`, and closes
 * it again even on failure, so a command never leaves a pool holding the process open.
 */
export async function withServices<T>(io: CliIo, fn: (services: Services) => Promise<T>): Promise<T> {
  const config = loadConfig(io.env);
  await requireExistingDatabase(config, io.env);
  // Log lines go to stderr so stdout stays one clean JSON document under --json.
  const services = await createServices(config, { logger: createLogger('warn', (line) => io.err(line)) });
  try {
    // Every event a command records names the command line as who made the change.
    return await actingAs('cli', () => fn(services));
  } finally {
    await services.close();
  }
}

/** As withServices, with the scope of the issuer the command names (--issuer, else the default one). */
export function withScope<T>(io: CliIo, fn: (scope: IssuerScope) => Promise<T>): Promise<T> {
  return withServices(io, async (services) => fn(await scopeOf(services, io.issuer)));
}

export function isoTime(seconds: number): string;
export function isoTime(seconds: number | null): string | null;
export function isoTime(seconds: number | null): string | null {
  return seconds === null ? null : new Date(seconds * 1000).toISOString();
}

/** A plain text table: columns padded to their widest cell, two spaces apart. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** Reads all of stdin as UTF-8, refusing more than `maxBytes` so a wrong pipe cannot eat memory. */
export async function readStdin(stream: Readable, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    if (size > maxBytes) throw new CliUsageError(`stdin is longer than ${maxBytes} bytes`);
    chunks.push(buffer);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new CliUsageError('stdin is not valid UTF-8');
  }
}
