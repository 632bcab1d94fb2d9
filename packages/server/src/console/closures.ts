import type { Hono } from 'hono';
import { CLOSE_REASONS } from '../account/close.js';
import { allowOnly } from '../http/methods.js';
import { sendPage } from '../http/respond.js';
import type { AppFetch } from './api.js';
import { consolePage } from './guard.js';
import { type ClosureView, ClosuresPage } from './pages/closures.js';
import { CONSOLE_PATHS } from './paths.js';

/** The closed accounts page at <issuer>/admin/account-closures: GET /account-closures of the Admin API, page by page. */
export function registerClosurePages(app: Hono, fetch: AppFetch): void {
  app.get(
    CONSOLE_PATHS.closures,
    consolePage(fetch, async (call) => {
      const asked = call.c.req.query('reason') ?? '';
      // Not one of the reasons: every reason (the select offers nothing else).
      const reason = (CLOSE_REASONS as readonly string[]).includes(asked) ? asked : '';
      const cursor = (call.c.req.query('cursor') ?? '').slice(0, 500);
      const query = new URLSearchParams({ limit: '50', ...(reason ? { reason } : {}), ...(cursor ? { cursor } : {}) });
      const list = await call.read<{ data: ClosureView[]; next_cursor: string | null }>(`/account-closures?${query}`);
      return sendPage(call.c, ClosuresPage({ frame: call.frame, closures: list.data, reason, next: list.next_cursor ?? undefined }));
    }),
  );
  allowOnly(app, CONSOLE_PATHS.closures, ['GET']);
}
