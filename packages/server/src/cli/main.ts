import { ConfigError, loadConfig } from '../config.js';
import { clientCommand } from './client.js';
import { keysCommand } from './keys.js';
import { migrateCommand } from './migrate.js';
import { orgCommand } from './org.js';
import { type CliIo, CliUsageError, nodeIo } from './io.js';
import { serveCommand } from './serve.js';
import { userCommand } from './user.js';
import { VERSION } from './version.js';

export const USAGE = `Usage: gatehouse <command> [options]

Commands:
  serve                       start the server (migrates and creates keys first)
  migrate                     apply database migrations
  client create|list|show|delete|rotate-secret
  user create|list|disable|enable
  org create|list|show|rename|suspend|resume|delete|role|member
  keys list|rotate

Every command reads the same environment as the server (GATEHOUSE_DATABASE_URL, ...).
Add --json for machine-readable output. Run "gatehouse <command> --help" for details.
"gatehouse --version" prints the version.`;

type Command = (args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  serve: serveCommand,
  migrate: migrateCommand,
  client: clientCommand,
  user: userCommand,
  org: orgCommand,
  keys: keysCommand,
};

/** Runs the command line and returns the exit code; never throws. */
export async function main(argv: string[], io: CliIo = nodeIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.out(VERSION);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`gatehouse: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`gatehouse: configuration error: ${error.message}`);
      return 78;
    }
    // parseArgs rejects unknown options with ERR_PARSE_ARGS_*: a usage mistake like any other.
    const code = (error as { code?: unknown }).code;
    if (error instanceof CliUsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      io.err(`gatehouse ${name}: ${(error as Error).message}`);
      return 2;
    }
    io.err(`gatehouse ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

export { loadConfig };
