import { z } from 'zod';
import { badRequest } from './problem.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** `limit` and `cursor`, the query parameters every list takes. */
export const pageQuery = {
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'a whole number from 1 to 200')
    .transform(Number)
    .pipe(z.number().int().min(1).max(MAX_PAGE_SIZE))
    .optional()
    .meta({ description: `Items per page, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})` }),
  cursor: z.string().max(500).optional().meta({ description: 'next_cursor of the previous page' }),
};

/** Where a page starts: after the item with this sort key (created_at, id). */
export type PageKey = readonly [number, string];

/** The opaque cursor for "after this item". */
export function encodeCursor(key: PageKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The position a cursor names; a cursor that is not one of ours is a 400 naming it. */
export function decodeCursor(cursor: string | undefined): PageKey | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length === 2 && Number.isSafeInteger(key[0]) && typeof key[1] === 'string' && key[1].length <= 200) {
      return [key[0] as number, key[1]];
    }
  } catch {
    // Falls through to the problem below.
  }
  throw badRequest('The cursor is not one this API gave', [{ field: 'query.cursor', detail: 'not a cursor from next_cursor' }]);
}

/** One page of a list, as every list answers: `data`, and `next_cursor` (null on the last page). */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/** Builds a page from up to limit + 1 rows read in order: the extra row says there is a next page. */
export function pageOf<R, T>(rows: R[], limit: number, key: (row: R) => PageKey, view: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  const last = shown[shown.length - 1];
  return { data: shown.map(view), next_cursor: more && last !== undefined ? encodeCursor(key(last)) : null };
}

/** The JSON schema of a page of `item`. */
export function pageSchema<T extends z.ZodType>(item: T): z.ZodObject<{ data: z.ZodArray<T>; next_cursor: z.ZodNullable<z.ZodString> }> {
  return z.object({ data: z.array(item), next_cursor: z.string().nullable() });
}
