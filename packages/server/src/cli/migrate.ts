import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { openStore } from '../store/db.js';
import { migrate } from '../store/migrate.js';
import type { CliIo } from './io.js';

export async function migrateCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } }, strict: true });
  const config = loadConfig(io.env);
  const store = openStore(config.databaseUrl);
  try {
    const { applied } = await migrate(store.db);
    if (values.json) io.out(JSON.stringify({ applied }));
    else io.out(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
    return 0;
  } finally {
    await store.close();
  }
}
