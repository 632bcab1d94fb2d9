import type { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { sendPage } from '../http/respond.js';
import type { ApiProblem, AppFetch } from './api.js';
import { flashSecret, takeSecret } from './flash.js';
import { type ConsoleCall, apiFailed, consolePage } from './guard.js';
import { type AttemptRow, type PageNotice, WebhookDetailPage, type WebhookRow, WebhookSecretPage, WebhooksPage } from './pages/webhooks.js';
import { CONSOLE_PATHS } from './paths.js';

const canWrite = (call: ConsoleCall): boolean => call.frame.operator?.role !== 'viewer';
const detail = (id: string): string => `${CONSOLE_PATHS.webhooks}/${encodeURIComponent(id)}`;
const secretPath = (id: string): string => `${detail(id)}/secret`;

async function showList(
  call: ConsoleCall,
  notice?: PageNotice,
  status = 200,
  values?: { url: string; events: string; description: string },
): Promise<Response> {
  const { data } = await call.read<{ data: WebhookRow[] }>('/webhooks?limit=200');
  return sendPage(call.c, WebhooksPage({ frame: call.frame, endpoints: data, canWrite: canWrite(call), notice, values }), status as ContentfulStatusCode);
}

async function showDetail(call: ConsoleCall, id: string, notice?: PageNotice, status = 200): Promise<Response> {
  const endpoint = await call.read<WebhookRow>(`/webhooks/${encodeURIComponent(id)}`);
  const cursor = call.c.req.query('cursor');
  const log = await call.read<{ data: AttemptRow[]; next_cursor: string | null }>(
    `/webhooks/${encodeURIComponent(id)}/deliveries?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
  );
  return sendPage(
    call.c,
    WebhookDetailPage({ frame: call.frame, endpoint, attempts: log.data, next: log.next_cursor, canWrite: canWrite(call), notice }),
    status as ContentfulStatusCode,
  );
}

/**
 * The endpoint's page again with what the Admin API refused (the first field's problem, else
 * its detail); not signed in or not allowed ends the page, as for any read.
 */
function refused(call: ConsoleCall, id: string, result: { status: number; problem: ApiProblem }): Promise<Response> {
  if (result.status === 401 || result.status === 403) apiFailed(result);
  const text = result.problem.errors?.[0]?.detail ?? result.problem.detail ?? result.problem.title;
  return showDetail(call, id, { kind: 'error', text }, result.status);
}

/** The webhooks pages (docs/events.md): list, add, edit, rotate, test, delete, log and replay; all through the Admin API. */
export function registerWebhookPages(app: Hono, fetch: AppFetch): void {
  app.get(
    CONSOLE_PATHS.webhooks,
    consolePage(fetch, async (call) => showList(call, call.c.req.query('deleted') ? { kind: 'ok', text: call.t.t('webhooks.deleted') } : undefined)),
  );

  app.post(
    CONSOLE_PATHS.webhooks,
    consolePage(fetch, async (call) => {
      const values = { url: call.form.get('url') ?? '', events: call.form.get('events') ?? '', description: call.form.get('description') ?? '' };
      const result = await call.api.send<WebhookRow & { secret: string }>('POST', '/webhooks', values);
      if (!result.ok) {
        if (result.status === 401 || result.status === 403) apiFailed(result);
        const field = result.problem.errors?.[0];
        return showList(call, { kind: 'error', text: field?.detail ?? result.problem.detail ?? result.problem.title }, result.status, values);
      }
      // Shown once, on the page this redirect opens (flash.ts): a reload there creates nothing.
      await flashSecret(call.c, call.scope, call.session, { kind: 'webhook', id: result.body.id, secret: result.body.secret });
      return call.redirect(secretPath(result.body.id));
    }),
  );

  // The new secret of a created or rotated endpoint, once; after that view (or without a flash)
  // the endpoint's page, which never shows it.
  app.get(
    `${CONSOLE_PATHS.webhooks}/:id/secret`,
    consolePage(fetch, async (call) => {
      const id = call.c.req.param('id') ?? '';
      const endpoint = await call.read<WebhookRow>(`/webhooks/${encodeURIComponent(id)}`);
      const secret = await takeSecret(call.c, call.scope, call.session, 'webhook', id);
      if (secret === undefined) return call.redirect(detail(id));
      return sendPage(call.c, WebhookSecretPage({ frame: call.frame, endpoint, secret }));
    }),
  );

  app.get(
    `${CONSOLE_PATHS.webhooks}/:id`,
    consolePage(fetch, async (call) => {
      const id = call.c.req.param('id') ?? '';
      const q = (name: string): string | undefined => call.c.req.query(name);
      const replayed = q('replayed');
      const notice: PageNotice | undefined = q('saved')
        ? { kind: 'ok', text: call.t.t('webhooks.saved') }
        : q('tested')
          ? { kind: 'ok', text: call.t.t('webhooks.tested') }
          : replayed
            ? { kind: 'ok', text: call.t.t('webhooks.replayed', { event: replayed }) }
            : undefined;
      return showDetail(call, id, notice);
    }),
  );

  app.post(
    `${CONSOLE_PATHS.webhooks}/:id`,
    consolePage(fetch, async (call) => {
      const id = call.c.req.param('id') ?? '';
      const body = {
        url: call.form.get('url') ?? '',
        events: call.form.get('events') ?? '',
        description: call.form.get('description') ?? '',
        enabled: call.form.get('enabled') === '1',
      };
      const result = await call.api.send<WebhookRow>('PATCH', `/webhooks/${encodeURIComponent(id)}`, body);
      if (!result.ok) return refused(call, id, result);
      return call.redirect(`${detail(id)}?saved=1`);
    }),
  );

  app.post(
    `${CONSOLE_PATHS.webhooks}/:id/rotate`,
    consolePage(fetch, async (call) => {
      const id = call.c.req.param('id') ?? '';
      const result = await call.api.send<{ secret: string }>('POST', `/webhooks/${encodeURIComponent(id)}/rotate-secret`, {});
      if (!result.ok) return refused(call, id, result);
      await flashSecret(call.c, call.scope, call.session, { kind: 'webhook', id, secret: result.body.secret });
      return call.redirect(secretPath(id));
    }),
  );

  app.post(
    `${CONSOLE_PATHS.webhooks}/:id/test`,
    consolePage(fetch, async (call) => {
      const id = call.c.req.param('id') ?? '';
      const result = await call.api.send<{ event_id: string }>('POST', `/webhooks/${encodeURIComponent(id)}/test`);
      if (!result.ok) return refused(call, id, result);
      return call.redirect(`${detail(id)}?tested=1`);
    }),
  );

  app.post(
    `${CONSOLE_PATHS.webhooks}/:id/replay`,
    consolePage(fetch, async (call) => {
      const id = call.c.req.param('id') ?? '';
      const event = call.form.get('event') ?? '';
      const result = await call.api.send<{ status: string }>('POST', `/webhooks/${encodeURIComponent(id)}/deliveries/${encodeURIComponent(event)}/replay`);
      if (!result.ok) return refused(call, id, result);
      return call.redirect(`${detail(id)}?replayed=${encodeURIComponent(event)}`);
    }),
  );

  app.post(
    `${CONSOLE_PATHS.webhooks}/:id/delete`,
    consolePage(fetch, async (call) => {
      const id = call.c.req.param('id') ?? '';
      if (call.form.get('confirm') !== '1') return showDetail(call, id, { kind: 'error', text: call.t.t('webhooks.deleteConfirm') }, 400);
      const result = await call.api.send('DELETE', `/webhooks/${encodeURIComponent(id)}`);
      if (!result.ok) return refused(call, id, result);
      return call.redirect(`${CONSOLE_PATHS.webhooks}?deleted=1`);
    }),
  );
}
