import type { Hono } from 'hono';
import { sendPage } from '../http/respond.js';
import { randomToken } from '../tokens/random.js';
import type { AppFetch } from './api.js';
import { isConsoleClient } from './client.js';
import { takeSecret, flashSecret } from './flash.js';
import { type ConsoleCall, apiFailed, consolePage } from './guard.js';
import {
  APP_TYPE_ORDER,
  AppCredentialsPage,
  AppDetailPage,
  type AppFormValues,
  type AppType,
  AppsPage,
  type ClientView,
  NewAppFormPage,
  NewAppTypePage,
  emptyAppForm,
  formValuesOf,
} from './pages/apps.js';
import { formProblem } from './pages/form-problem.js';
import { CONSOLE_PATHS } from './paths.js';
import { tryRedirectUri } from './try-sign-in.js';
import type { ConsoleKey } from './text/catalog.js';

const lines = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');

function valuesFrom(form: URLSearchParams): AppFormValues {
  const get = (name: string): string => form.get(name) ?? '';
  return {
    client_name: get('client_name').trim(),
    description: get('description').trim(),
    redirect_uris: get('redirect_uris'),
    post_logout_redirect_uris: get('post_logout_redirect_uris'),
    scope: get('scope').trim(),
    resources: get('resources'),
    logo_uri: get('logo_uri').trim(),
    policy_uri: get('policy_uri').trim(),
    tos_uri: get('tos_uri').trim(),
    first_party: form.get('first_party') === '1',
    require_mfa: form.get('require_mfa') === '1',
    backchannel_logout_uri: get('backchannel_logout_uri').trim(),
    backchannel_logout_session_required: form.get('backchannel_logout_session_required') === '1',
  };
}

/** The API body of the form: a create leaves out what is empty (the type's defaults apply). */
function bodyOf(type: AppType, v: AppFormValues, mode: 'create' | 'update'): Record<string, unknown> {
  const body: Record<string, unknown> = { client_name: v.client_name };
  const text = (name: 'description' | 'scope' | 'logo_uri' | 'policy_uri' | 'tos_uri' | 'backchannel_logout_uri'): void => {
    if (mode === 'update' || v[name] !== '') body[name] = v[name];
  };
  text('description');
  text('scope');
  const resources = lines(v.resources);
  if (mode === 'update' || resources.length > 0) body.resources = resources;
  if (type !== 'machine') {
    body.redirect_uris = lines(v.redirect_uris);
    body.post_logout_redirect_uris = lines(v.post_logout_redirect_uris);
    text('logo_uri');
    text('policy_uri');
    text('tos_uri');
    body.first_party = v.first_party;
    body.require_mfa = v.require_mfa;
    text('backchannel_logout_uri');
    body.backchannel_logout_session_required = v.backchannel_logout_session_required;
  }
  if (mode === 'create') body.type = type;
  return body;
}

/** The notices an app's page shows after a redirect (`?notice=`). */
const DETAIL_NOTICES: Readonly<Record<string, ConsoleKey>> = { saved: 'apps.saved', try_enabled: 'try.enabled', try_secret: 'try.secretMissing' };

const isAppType = (value: string | null | undefined): value is AppType => APP_TYPE_ORDER.includes(value as AppType);

const appRoute = (id: string, rest = ''): string => `${CONSOLE_PATHS.apps}/${encodeURIComponent(id)}${rest}`;

const canWrite = (call: ConsoleCall): boolean => call.frame.operator?.role !== 'viewer';

async function showDetail(
  call: ConsoleCall,
  id: string,
  state: { values?: AppFormValues; notice?: ConsoleKey; problem?: ReturnType<typeof formProblem> } = {},
): Promise<Response> {
  const result = await call.api.get<ClientView>(`/clients/${encodeURIComponent(id)}`);
  if (!result.ok) apiFailed(result);
  return sendPage(
    call.c,
    AppDetailPage({
      frame: call.frame,
      app: result.body,
      etag: result.etag ?? '',
      values: state.values ?? formValuesOf(result.body),
      problem: state.problem,
      notice: state.notice,
      canWrite: canWrite(call),
      tryUri: tryRedirectUri(call.scope),
    }),
    state.problem ? 400 : state.notice === 'apps.stale' ? 409 : 200,
  );
}

/** The applications pages: list, the create wizard, the credentials shown once, and each app's settings. */
export function registerAppPages(app: Hono, fetch: AppFetch): void {
  const page = (handle: (call: ConsoleCall) => Promise<Response>) => consolePage(fetch, handle);
  const idOf = (call: ConsoleCall): string => call.c.req.param('id') ?? '';

  app.get(
    CONSOLE_PATHS.apps,
    page(async (call) => {
      const cursor = call.c.req.query('cursor');
      const list = await call.read<{ data: ClientView[]; next_cursor: string | null }>(
        `/clients?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      const notice = call.c.req.query('notice') === 'deleted' ? 'apps.deleted' : undefined;
      return sendPage(
        call.c,
        AppsPage({ frame: call.frame, apps: list.data.filter((a) => !isConsoleClient(a.client_id)), next: list.next_cursor ?? undefined, notice }),
      );
    }),
  );

  app.get(
    CONSOLE_PATHS.newApp,
    page(async (call) => {
      const type = call.c.req.query('type');
      if (!isAppType(type)) return sendPage(call.c, NewAppTypePage({ frame: call.frame }));
      return sendPage(call.c, NewAppFormPage({ frame: call.frame, type, values: emptyAppForm(), idempotencyKey: randomToken(16) }));
    }),
  );

  app.post(
    CONSOLE_PATHS.newApp,
    page(async (call) => {
      const type = call.form.get('type');
      if (!isAppType(type)) return call.redirect(CONSOLE_PATHS.newApp);
      const values = valuesFrom(call.form);
      const key = call.form.get('idempotency_key') ?? randomToken(16);
      const result = await call.api.send<ClientView & { client_secret: string | null }>('POST', '/clients', bodyOf(type, values, 'create'), {
        'idempotency-key': key.slice(0, 100),
      });
      if (!result.ok) {
        if (result.status === 401 || result.status === 403) apiFailed(result);
        return sendPage(
          call.c,
          NewAppFormPage({ frame: call.frame, type, values, idempotencyKey: randomToken(16), problem: formProblem(result.problem) }),
          400,
        );
      }
      if (result.body.client_secret)
        await flashSecret(call.c, call.scope, call.session, { kind: 'client', id: result.body.client_id, secret: result.body.client_secret });
      return call.redirect(appRoute(result.body.client_id, '/credentials'));
    }),
  );

  app.get(
    `${CONSOLE_PATHS.apps}/:id/credentials`,
    page(async (call) => {
      const id = idOf(call);
      const client = await call.read<ClientView>(`/clients/${encodeURIComponent(id)}`);
      const secret = await takeSecret(call.c, call.scope, call.session, 'client', id);
      return sendPage(call.c, AppCredentialsPage({ frame: call.frame, app: client, secret, rotated: call.c.req.query('rotated') === '1' }));
    }),
  );

  app.get(
    `${CONSOLE_PATHS.apps}/:id`,
    page(async (call) => showDetail(call, idOf(call), { notice: DETAIL_NOTICES[call.c.req.query('notice') ?? ''] })),
  );

  app.post(
    `${CONSOLE_PATHS.apps}/:id`,
    page(async (call) => {
      const id = idOf(call);
      const current = await call.read<ClientView>(`/clients/${encodeURIComponent(id)}`);
      const values = valuesFrom(call.form);
      const etag = call.form.get('etag') ?? '';
      const result = await call.api.send<ClientView>(
        'PATCH',
        `/clients/${encodeURIComponent(id)}`,
        bodyOf(current.type, values, 'update'),
        etag ? { 'if-match': etag } : {},
      );
      if (result.ok) return call.redirect(`${appRoute(id)}?notice=saved`);
      if (result.status === 412) return showDetail(call, id, { values, notice: 'apps.stale' });
      if (result.status === 401 || result.status === 403 || result.status === 404) apiFailed(result);
      return showDetail(call, id, { values, problem: formProblem(result.problem) });
    }),
  );

  app.post(
    `${CONSOLE_PATHS.apps}/:id/secret`,
    page(async (call) => {
      const id = idOf(call);
      const overlap = Number(call.form.get('overlap_seconds') ?? '86400');
      const result = await call.api.send<{ client_secret: string }>('POST', `/clients/${encodeURIComponent(id)}/secret`, {
        overlap_seconds: Number.isInteger(overlap) ? overlap : 86400,
      });
      if (!result.ok) return showDetail(call, id, { problem: formProblem(result.problem) });
      await flashSecret(call.c, call.scope, call.session, { kind: 'client', id, secret: result.body.client_secret });
      return call.redirect(`${appRoute(id, '/credentials')}?rotated=1`);
    }),
  );

  app.post(
    `${CONSOLE_PATHS.apps}/:id/delete`,
    page(async (call) => {
      const id = idOf(call);
      if (call.form.get('confirm') !== '1')
        return showDetail(call, id, { problem: { detail: undefined, fields: {}, own: { 'confirm-delete': 'apps.deleteUnconfirmed' } } });
      const result = await call.api.send('DELETE', `/clients/${encodeURIComponent(id)}`);
      if (!result.ok) return showDetail(call, id, { problem: formProblem(result.problem) });
      return call.redirect(`${CONSOLE_PATHS.apps}?notice=deleted`);
    }),
  );
}
