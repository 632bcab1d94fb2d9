import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { unknownVariableWarnings } from '../config-names.js';
import { describeError } from '../log.js';
import { startServer } from '../server.js';
import { createServices } from '../services.js';
import { issueSetupLink } from '../console/setup.js';
import type { CliIo } from './io.js';

const HELP = `Usage: gatehouse serve

Starts the server: applies pending migrations, creates signing keys when there are none, and
listens on PORT (default 3000). Configuration comes from the environment (see
docs/configuration.md). SIGTERM or SIGINT stops it gracefully: readiness fails first (for
GATEHOUSE_DRAIN_SECONDS), in-flight requests finish, then the process exits 0. A second signal
ends the drain at once.`;

export async function serveCommand(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(HELP);
    return 0;
  }
  parseArgs({ args, options: {}, strict: true });
  const config = loadConfig(io.env);
  for (const warning of unknownVariableWarnings(io.env)) io.err(`gatehouse: warning: ${warning}`);
  const services = await createServices(config, { clientCache: {} });
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(services, { port: config.port, host: config.host });
  } catch (error) {
    await services.close();
    throw error;
  }
  const { repos } = await services.scopes.defaultScope();
  const [clients, users] = await Promise.all([repos.clients.list(), repos.users.list()]);
  io.out(`Gatehouse is running.
  Issuer:     ${config.issuer}
  Listening:  ${server.url}
  Database:   ${services.store.backend === 'sqlite' ? config.databaseUrl.slice('sqlite:'.length) : 'PostgreSQL'}
  Discovery:  ${config.issuer}/.well-known/openid-configuration${
    server.metricsPort === undefined
      ? ''
      : `
  Metrics:    http://127.0.0.1:${server.metricsPort}/metrics`
  }`);
  const setup = await issueSetupLink(await services.scopes.defaultScope());
  io.out(`  Console:    ${config.issuer}/admin`);
  if (setup) {
    io.out(`
No one administers this issuer yet. Open this link within an hour to create the first owner
(it works once), or run: npx gatehouse admin create --email you@example.com --role owner --password-stdin
  ${setup}`);
  }
  if (clients.length === 0 || users.length === 0) {
    io.out(`
Next steps (in another terminal, in this folder):
  npx gatehouse client create --name "My App" --redirect-uri http://localhost:4000/api/auth/callback/gatehouse
  echo 'a-long-password' | npx gatehouse user create --email you@example.com --name "Your Name" --password-stdin`);
  }

  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) {
        // An operator (or an orchestrator) that will not wait for the drain says so twice.
        services.logger.log('info', 'drain_ended', { signal });
        server.endDrain();
        return;
      }
      stopping = true;
      services.logger.log('info', 'shutdown', { signal });
      server
        .close()
        .catch((error: unknown) => services.logger.log('error', 'shutdown_failed', describeError(error)))
        .finally(resolve);
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
  return 0;
}
