import type { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { sendPage } from '../http/respond.js';
import type { AppFetch } from './api.js';
import { type ConsoleCall, apiFailed, consolePage } from './guard.js';
import { type KeyRow, KeysPage } from './pages/keys.js';
import { CONSOLE_PATHS } from './paths.js';

const canWrite = (call: ConsoleCall): boolean => call.frame.operator?.role !== 'viewer';

async function showKeys(call: ConsoleCall, notice?: { kind: 'ok' | 'error'; text: string }, status = 200): Promise<Response> {
  const { data } = await call.read<{ data: KeyRow[] }>('/keys');
  const lead = call.scope.services.config.keyPublishLead;
  return sendPage(call.c, KeysPage({ frame: call.frame, keys: data, lead, canWrite: canWrite(call), notice }), status as ContentfulStatusCode);
}

/** The signing keys page (docs/console.md): list, rotate, retire; all through the Admin API. */
export function registerKeyPages(app: Hono, fetch: AppFetch): void {
  app.get(
    CONSOLE_PATHS.keys,
    consolePage(fetch, async (call) => {
      const kids = call.c.req.query('rotated');
      const retired = call.c.req.query('retired');
      const next = call.c.req.query('next');
      if (kids) return showKeys(call, { kind: 'ok', text: call.t.t('keys.rotated', { kids }) });
      if (retired && next) return showKeys(call, { kind: 'ok', text: call.t.t('keys.retiredActivated', { kid: retired, next }) });
      if (retired) return showKeys(call, { kind: 'ok', text: call.t.t('keys.retired', { kid: retired }) });
      return showKeys(call);
    }),
  );

  app.post(
    `${CONSOLE_PATHS.keys}/rotate`,
    consolePage(fetch, async (call) => {
      const alg = call.form.get('alg') ?? '';
      const body = { ...(alg ? { alg } : {}), now: call.form.get('now') === '1' };
      const result = await call.api.send<{ rotated: { kid: string }[] }>('POST', '/keys/rotate', body);
      if (!result.ok) {
        if (result.status === 401 || result.status === 403) apiFailed(result);
        return showKeys(call, { kind: 'error', text: result.problem.detail ?? result.problem.title }, result.status);
      }
      return call.redirect(`${CONSOLE_PATHS.keys}?rotated=${encodeURIComponent(result.body.rotated.map((r) => r.kid).join(', '))}`);
    }),
  );

  app.post(
    `${CONSOLE_PATHS.keys}/:kid/retire`,
    consolePage(fetch, async (call) => {
      const kid = call.c.req.param('kid') ?? '';
      if (call.form.get('confirm') !== '1') return showKeys(call, { kind: 'error', text: call.t.t('keys.retireConfirm', { kid }) }, 400);
      const result = await call.api.send<{ kid: string; activated: string | null }>('POST', `/keys/${encodeURIComponent(kid)}/retire`);
      if (!result.ok) {
        if (result.status === 401 || result.status === 403) apiFailed(result);
        return showKeys(call, { kind: 'error', text: result.problem.detail ?? result.problem.title }, result.status);
      }
      const next = result.body.activated ? `&next=${encodeURIComponent(result.body.activated)}` : '';
      return call.redirect(`${CONSOLE_PATHS.keys}?retired=${encodeURIComponent(kid)}${next}`);
    }),
  );
}
