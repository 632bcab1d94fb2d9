import { createRequire } from 'node:module';
import type pg from 'pg';

let loaded: typeof pg | undefined;

/**
 * The `pg` driver, loaded the first time a PostgreSQL store or listener needs it. It is
 * CommonJS with a dozen modules of its own, which cost a SQLite start ~80 ms on a slow machine
 * for nothing; a synchronous require keeps openStore synchronous.
 */
export function pgDriver(): typeof pg {
  if (!loaded) {
    loaded = createRequire(import.meta.url)('pg') as typeof pg;
    // int8 columns hold Unix seconds, well inside Number's exact range.
    loaded.types.setTypeParser(20, (value: string) => Number.parseInt(value, 10));
  }
  return loaded;
}
