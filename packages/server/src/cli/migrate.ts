import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { openStore } from '../store/db.js';
import { migrate } from '../store/migrate.js';
import { startupConfigError } from '../startup-errors.js';
import type { CliIo } from './io.js';

const HELP = `Usage: gatehouse migrate [--json]

Applies pending database migrations and exits. \`gatehouse serve\` also migrates on start; run
this once before rolling out a new version to several instances (docs/production.md).
  --json   print {"applied": [...]}`;

export async function migrateCommand(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(HELP);
    return 0;
  }
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } }, strict: true });
  const config = loadConfig(io.env);
  const explain = (error: unknown): unknown => startupConfigError(error, config.databaseUrl, config.dataDir, config.databaseExplicit) ?? error;
  let store: ReturnType<typeof openStore>;
  try {
    store = openStore(config.databaseUrl);
  } catch (error) {
    throw explain(error);
  }
  try {
    const { applied } = await migrate(store.db).catch((error: unknown) => Promise.reject(explain(error)));
    if (values.json) io.out(JSON.stringify({ applied }));
    else io.out(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
    return 0;
  } finally {
    await store.close();
  }
}
