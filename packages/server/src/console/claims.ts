import type { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { sendPage } from '../http/respond.js';
import type { AppFetch, ApiResult } from './api.js';
import { type ConsoleCall, apiFailed, consolePage } from './guard.js';
import { type ApiRow, type AttributeRow, ClaimsPage, type PageNotice, type ScopeRow, UserAttributesPage } from './pages/claims.js';
import { CONSOLE_PATHS } from './paths.js';

const canWrite = (call: ConsoleCall): boolean => call.frame.operator?.role !== 'viewer';
const words = (raw: string | null): string[] => (raw ?? '').split(/[\s,]+/).filter(Boolean);

async function showClaims(call: ConsoleCall, notice?: PageNotice, status = 200): Promise<Response> {
  const [apis, scopes, attributes] = await Promise.all([
    call.read<{ items: ApiRow[] }>('/apis'),
    call.read<{ items: ScopeRow[] }>('/scopes'),
    call.read<{ items: AttributeRow[] }>('/attributes'),
  ]);
  return sendPage(
    call.c,
    ClaimsPage({ frame: call.frame, apis: apis.items, scopes: scopes.items, attributes: attributes.items, canWrite: canWrite(call), notice }),
    status as ContentfulStatusCode,
  );
}

/** The problem of a refused change, in the API's words (English: the services' messages are). */
function problemText(result: ApiResult<unknown> & { ok: false }): string {
  return result.problem.errors?.[0]?.detail ?? result.problem.detail ?? result.problem.title;
}

/** A JSON form field, or undefined when it is not JSON (the page says so). */
function jsonField(raw: string | null): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(raw ?? '') };
  } catch {
    return { ok: false };
  }
}

async function showUser(call: ConsoleCall, id: string, notice?: PageNotice, status = 200): Promise<Response> {
  const path = `/users/${encodeURIComponent(id)}`;
  const [user, values, attributes] = await Promise.all([
    call.read<{ user_id: string; email: string }>(path),
    call.read<Record<string, unknown>>(`${path}/attributes`),
    call.read<{ items: AttributeRow[] }>('/attributes'),
  ]);
  return sendPage(
    call.c,
    UserAttributesPage({
      frame: call.frame,
      user: { id: user.user_id, email: user.email },
      values,
      attributes: attributes.items,
      canWrite: canWrite(call),
      notice,
    }),
    status as ContentfulStatusCode,
  );
}

/** The "APIs and scopes" page and a user's attributes (docs/scopes-and-claims.md); all through the Admin API. */
export function registerClaimsPages(app: Hono, fetch: AppFetch): void {
  const base = CONSOLE_PATHS.apis;
  const saved = (call: ConsoleCall): PageNotice | undefined =>
    call.c.req.query('saved')
      ? { kind: 'ok', text: call.t.t('claims.saved') }
      : call.c.req.query('deleted')
        ? { kind: 'ok', text: call.t.t('claims.deleted') }
        : undefined;
  /** Sends a change; on success back to the page with a notice, else the page with the problem. */
  const change = async (call: ConsoleCall, method: 'PUT' | 'DELETE', route: string, body?: unknown): Promise<Response> => {
    const result = await call.api.send(method, route, body);
    if (!result.ok) {
      if (result.status === 401 || result.status === 403) apiFailed(result);
      return showClaims(call, { kind: 'error', text: problemText(result) }, result.status);
    }
    return call.redirect(`${base}?${method === 'DELETE' ? 'deleted' : 'saved'}=1`);
  };

  app.get(
    base,
    consolePage(fetch, async (call) => showClaims(call, saved(call))),
  );
  app.post(
    `${base}/api`,
    consolePage(fetch, async (call) => {
      const scopes = (call.form.get('scopes') ?? '')
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
        .map((line) => {
          const at = line.indexOf('=');
          return at === -1 ? { name: line } : { name: line.slice(0, at).trim(), description: line.slice(at + 1).trim() };
        });
      const ttl = (call.form.get('ttl') ?? '').trim();
      return change(call, 'PUT', '/apis', {
        identifier: call.form.get('identifier') ?? '',
        name: call.form.get('name') ?? '',
        scopes,
        access_token_ttl: ttl === '' ? null : /^\d{1,6}$/.test(ttl) ? Number(ttl) : -1,
        claims: words(call.form.get('claims')),
      });
    }),
  );
  app.post(
    `${base}/scope`,
    consolePage(fetch, async (call) =>
      change(call, 'PUT', `/scopes/${encodeURIComponent(call.form.get('name') ?? '')}`, {
        descriptions: { en: call.form.get('description') ?? '' },
        claims: words(call.form.get('claims')),
        optional: call.form.get('required') !== '1',
        id_token: call.form.get('id_token') === '1',
      }),
    ),
  );
  app.post(
    `${base}/attribute`,
    consolePage(fetch, async (call) => {
      const schema = jsonField(call.form.get('schema'));
      if (!schema.ok || typeof schema.value !== 'object' || schema.value === null) {
        return showClaims(call, { kind: 'error', text: `${call.t.t('claims.schema')}: JSON` }, 400);
      }
      return change(call, 'PUT', `/attributes/${encodeURIComponent(call.form.get('name') ?? '')}`, {
        target: call.form.get('target') === 'organization' ? 'organization' : 'user',
        schema: schema.value,
      });
    }),
  );
  app.post(
    `${base}/delete`,
    consolePage(fetch, async (call) => {
      const name = call.form.get('name') ?? '';
      const kind = call.form.get('kind');
      const route =
        kind === 'api'
          ? `/apis?identifier=${encodeURIComponent(name)}`
          : kind === 'scope'
            ? `/scopes/${encodeURIComponent(name)}`
            : `/attributes/${encodeURIComponent(name)}`;
      return change(call, 'DELETE', route);
    }),
  );

  const userBase = `${CONSOLE_PATHS.users}/:id/attributes`;
  app.get(
    userBase,
    consolePage(fetch, async (call) =>
      showUser(call, call.c.req.param('id') ?? '', call.c.req.query('saved') ? { kind: 'ok', text: call.t.t('claims.saved') } : undefined),
    ),
  );
  const userChange = async (call: ConsoleCall, method: 'PUT' | 'DELETE', name: string, body?: unknown): Promise<Response> => {
    const id = call.c.req.param('id') ?? '';
    const result = await call.api.send(method, `/users/${encodeURIComponent(id)}/attributes/${encodeURIComponent(name)}`, body);
    if (!result.ok) {
      if (result.status === 401 || result.status === 403) apiFailed(result);
      return showUser(call, id, { kind: 'error', text: problemText(result) }, result.status);
    }
    return call.redirect(`${CONSOLE_PATHS.users}/${encodeURIComponent(id)}/attributes?saved=1`);
  };
  app.post(
    userBase,
    consolePage(fetch, async (call) => {
      const value = jsonField(call.form.get('value'));
      if (!value.ok) return showUser(call, call.c.req.param('id') ?? '', { kind: 'error', text: `${call.t.t('claims.value')}: JSON` }, 400);
      return userChange(call, 'PUT', call.form.get('name') ?? '', { value: value.value });
    }),
  );
  app.post(
    `${userBase}/unset`,
    consolePage(fetch, async (call) => userChange(call, 'DELETE', call.form.get('name') ?? '')),
  );
}
