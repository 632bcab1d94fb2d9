import { ConfigError, loadConfig } from '../config.js';
import { adminCommand } from './admin.js';
import { clientCommand } from './client.js';
import { auditCommand } from './audit.js';
import { doctorCommand } from './doctor.js';
import { issuerCommand } from './issuer.js';
import { keysCommand } from './keys.js';
import { migrateCommand } from './migrate.js';
import { orgCommand } from './org.js';
import { type CliIo, CliUsageError, nodeIo } from './io.js';
import { ServiceError } from '../services/errors.js';
import { serveCommand } from './serve.js';
import { userCommand } from './user.js';
import { webhookCommand } from './webhook.js';
import { apiCommand, attrCommand, scopeCommand } from './claims.js';
import { hookCommand, stripeCommand } from './claims-integrations.js';
import { idpCommand } from './idp.js';
import { VERSION } from './version.js';

export const USAGE = `Usage: gatehouse <command> [options]

Commands:
  serve                       start the server (migrates and creates keys first)
  migrate                     apply database migrations
  client create|list|show|update|delete|rotate-secret
  user create|list|disable|enable|set-password|attr
  admin create|list|remove     who administers the issuer (console and Admin API)
  org create|list|show|rename|suspend|resume|delete|role|member|attr
  keys list|rotate
  issuer create|list|show|update|delete
  audit list
  webhook create|list|delete|rotate-secret|replay   deliver events to your services (docs/events.md)
  api create|list|delete       APIs (resource servers) apps get access tokens for
  scope create|list|delete     the issuer's own user-facing scopes and the claims they release
  attr define|list|delete      typed user and organization attributes (set: user attr, org attr)
  hook set|list|delete         claims hooks: your endpoint adds claims at code exchange and refresh
  stripe connect|show|disconnect   subscription claims from Stripe's webhook events
  idp create|list|update|delete   sign in through other providers (docs/federation.md)
  doctor                      check a deployment before going live (--json; exit 1 on a failure)

Every command reads the same environment as the server (GATEHOUSE_DATABASE_URL, ...).
Commands work on the default issuer, or on the one named by --issuer ID (see: gatehouse issuer
--help). Add --json for machine-readable output. Run "gatehouse <command> --help" for details.
"gatehouse --version" prints the version.`;

type Command = (args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  serve: serveCommand,
  migrate: migrateCommand,
  client: clientCommand,
  user: userCommand,
  org: orgCommand,
  keys: keysCommand,
  issuer: issuerCommand,
  audit: auditCommand,
  admin: adminCommand,
  doctor: doctorCommand,
  webhook: webhookCommand,
  api: apiCommand,
  scope: scopeCommand,
  attr: attrCommand,
  hook: hookCommand,
  stripe: stripeCommand,
  idp: idpCommand,
};

/**
 * Takes the global `--issuer ID` (or `--issuer=ID`) out of a command's arguments, before the
 * first `--`; every command but `serve` and `migrate` then works on that issuer.
 */
export function takeIssuerOption(args: string[]): { issuer: string | undefined; rest: string[] } {
  const end = args.indexOf('--');
  const head = end === -1 ? args : args.slice(0, end);
  const tail = end === -1 ? [] : args.slice(end);
  let issuer: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < head.length; i++) {
    const arg = head[i] as string;
    if (arg === '--issuer' || arg.startsWith('--issuer=')) {
      const value = arg === '--issuer' ? head[++i] : arg.slice('--issuer='.length);
      if (value === undefined || value === '' || value.startsWith('-')) throw new CliUsageError('--issuer needs an issuer id');
      if (issuer !== undefined && issuer !== value) throw new CliUsageError('--issuer given twice');
      issuer = value;
    } else {
      rest.push(arg);
    }
  }
  return { issuer, rest: [...rest, ...tail] };
}

/** Runs the command line and returns the exit code; never throws. */
export async function main(argv: string[], io: CliIo = nodeIo()): Promise<number> {
  // The global option may also come before the command: gatehouse --issuer acme user list.
  let args = argv;
  if (args[0] === '--issuer') args = [...args.slice(2, 3), ...args.slice(0, 2), ...args.slice(3)];
  else if (args[0]?.startsWith('--issuer=')) args = [...args.slice(1, 2), args[0], ...args.slice(2)];
  const [name, ...given] = args;
  let rest = given;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.out(VERSION);
    return 0;
  }
  let issuer: string | undefined;
  try {
    ({ issuer, rest } = takeIssuerOption(rest));
  } catch (error) {
    io.err(`gatehouse ${name}: ${(error as Error).message}`);
    return 2;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.err(`gatehouse: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command(rest, issuer === undefined ? io : { ...io, issuer });
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`gatehouse: configuration error: ${error.message}`);
      return 78;
    }
    // parseArgs rejects unknown options with ERR_PARSE_ARGS_*: a usage mistake like any other.
    const code = (error as { code?: unknown }).code;
    // A service refusing its input (services/errors.ts) is a usage mistake too; not found or a conflict is a failure.
    const usage = error instanceof CliUsageError || (error instanceof ServiceError && error.code === 'invalid');
    if (usage || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      io.err(`gatehouse ${name}: ${(error as Error).message}`);
      return 2;
    }
    io.err(`gatehouse ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

export { loadConfig };
