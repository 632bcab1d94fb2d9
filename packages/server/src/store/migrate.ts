import { type Kysely, type Migration, type MigrationResultSet, Migrator } from 'kysely';
import { initial } from './migrations/001_initial.js';
import type { Database } from './schema.js';

/** Migrations in order; names are permanent once released. */
const migrations: Record<string, Migration> = {
  '001_initial': initial,
};

export interface MigrateResult {
  applied: string[];
}

export async function migrate(db: Kysely<Database>): Promise<MigrateResult> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return { applied: (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
