import { type RawBuilder, type SqlBool, sql } from 'kysely';

/**
 * Whether `column` contains `text`, in any case, with `text` matched literally (its % and _ are
 * escaped): a search for "50%" finds only that. ESCAPE is named because SQLite has no default
 * escape character; lower() on both sides because PostgreSQL's LIKE is case-sensitive.
 */
export function containsText(column: string, text: string): RawBuilder<SqlBool> {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}
