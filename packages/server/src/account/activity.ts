import type { Context } from 'hono';
import { parseParams, rawQuery } from '../http/form.js';
import { EVENT_TYPES, type EventType, type RecordedEvent } from '../events/catalog.js';
import { pageTranslator } from '../http/locale.js';
import { sendPage } from '../http/respond.js';
import type { ActiveSession } from '../http/session.js';
import type { IssuerScope } from '../issuers/scope.js';
import { AccountActivityPage, type ActivityItem } from '../pages/account-activity.js';

/** Events of the user that are bookkeeping, not something they did or should notice (logout.*: a logout token's delivery to an app). */
const NOT_ACTIVITY = [
  'mail.',
  'grant.',
  'token.',
  'admin.',
  'issuer.',
  'client.',
  'key.',
  'organization.',
  'user.invited',
  'user.deleted',
  'user.closed',
  'logout.',
];

/**
 * What the activity page lists: every event type about a user but the bookkeeping above, so a
 * type another area adds (a factor enrolled or removed) shows up without a change here.
 */
export const ACTIVITY_TYPES: readonly EventType[] = EVENT_TYPES.filter((type) => !NOT_ACTIVITY.some((prefix) => type === prefix || type.startsWith(prefix)));

export const ACTIVITY_PAGE_SIZE = 25;

// A cursor is the last row shown: its time and id (ids are hex and base64url).
const CURSOR = /^(\d{1,15})\.([A-Za-z0-9_-]{1,64})$/;

/** The `before` cursor of the query, if it is one; anything else is the first page. */
export function parseCursor(value: string | undefined): readonly [number, string] | undefined {
  const match = value === undefined ? null : CURSOR.exec(value);
  return match ? [Number(match[1]), match[2] as string] : undefined;
}

/**
 * GET /account/activity: the user's own events, newest first, a page at a time (the audit log's
 * stable paging: strictly before the last row shown). Only rows naming this user at this issuer
 * are read; a failed sign-in with an unknown address names no one, so it is nobody's.
 */
export async function showActivity(c: Context, scope: IssuerScope, active: ActiveSession): Promise<Response> {
  const before = parseCursor(parseParams(rawQuery(c)).get('before'));
  const rows = await scope.repos.events.page({
    types: ACTIVITY_TYPES,
    userId: active.user.id,
    ...(before ? { before } : {}),
    limit: ACTIVITY_PAGE_SIZE + 1,
  });
  const shown = rows.slice(0, ACTIVITY_PAGE_SIZE);
  const last = shown.at(-1);
  const next = rows.length > ACTIVITY_PAGE_SIZE && last ? `${last.occurredAt}.${last.id}` : undefined;
  return sendPage(
    c,
    AccountActivityPage({
      site: scope,
      t: pageTranslator(c),
      userEmail: active.user.email,
      items: await withAppNames(scope, shown),
      next,
      first: before === undefined,
    }),
  );
}

/** The events with the names of the apps they name (one lookup per app). */
async function withAppNames(scope: IssuerScope, events: readonly RecordedEvent[]): Promise<ActivityItem[]> {
  const names = new Map<string, string | undefined>();
  for (const { clientId } of events) {
    if (clientId && !names.has(clientId)) names.set(clientId, (await scope.repos.clients.find(clientId))?.name);
  }
  return events.map((event) => ({ event, appName: event.clientId ? (names.get(event.clientId) ?? event.clientId) : undefined }));
}
