import type { Hono } from 'hono';
import { sendPage } from '../http/respond.js';
import type { AppFetch } from './api.js';
import { apiFailed, consolePage } from './guard.js';
import { type AuditEvent, type AuditFilters, AuditPage } from './pages/audit.js';
import { CONSOLE_PATHS } from './paths.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The Admin API query of the page's filters: a day is the whole UTC day (since its start, until its end). */
function apiQuery(f: AuditFilters, cursor: string | undefined): string {
  const q = new URLSearchParams({ limit: '50' });
  if (f.type) q.set('type', f.type);
  if (f.user_id) q.set('user_id', f.user_id);
  if (f.client_id) q.set('client_id', f.client_id);
  // Not a day: passed on as typed, so the API's problem names the field.
  if (f.since) q.set('since', DAY.test(f.since) ? `${f.since}T00:00:00Z` : f.since);
  if (f.until) q.set('until', DAY.test(f.until) ? `${f.until}T23:59:59Z` : f.until);
  if (cursor) q.set('cursor', cursor);
  return q.toString();
}

/** The audit log page at <issuer>/admin/audit-log: GET /audit-log of the Admin API, page by page. */
export function registerAuditPages(app: Hono, fetch: AppFetch): void {
  app.get(
    CONSOLE_PATHS.audit,
    consolePage(fetch, async (call) => {
      const get = (name: keyof AuditFilters): string => (call.c.req.query(name) ?? '').trim().slice(0, 200);
      // Several types: the form sends one type= per choice, the "More" link one comma-separated list.
      const types = (call.c.req.queries('type') ?? [])
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean)
        .slice(0, 50);
      const filters: AuditFilters = {
        type: [...new Set(types)].join(','),
        user_id: get('user_id'),
        client_id: get('client_id'),
        since: get('since'),
        until: get('until'),
      };
      const result = await call.api.get<{ data: AuditEvent[]; next_cursor: string | null }>(`/audit-log?${apiQuery(filters, call.c.req.query('cursor'))}`);
      if (!result.ok) {
        if (result.status !== 400) apiFailed(result);
        // The API names query parameters query.<name>; the form's fields have the bare names.
        const fields = Object.fromEntries((result.problem.errors ?? []).map((e) => [e.field.replace(/^query\./, ''), e.detail]));
        const problem = { detail: result.problem.detail, fields };
        return sendPage(call.c, AuditPage({ frame: call.frame, events: [], filters, problem }), 400);
      }
      return sendPage(call.c, AuditPage({ frame: call.frame, events: result.body.data, filters, next: result.body.next_cursor ?? undefined }));
    }),
  );
}
