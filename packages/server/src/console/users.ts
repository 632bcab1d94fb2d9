import type { Hono } from 'hono';
import { sendPage } from '../http/respond.js';
import { randomToken } from '../tokens/random.js';
import type { AppFetch } from './api.js';
import { type ConsoleCall, apiFailed, consolePage } from './guard.js';
import { formProblem } from './pages/form-problem.js';
import {
  type ActivityView,
  NEW_USER_PATH,
  NewUserPage,
  type NewUserValues,
  type ProfileValues,
  type SessionView,
  type UserGrantView,
  UserDetailPage,
  type UserView,
  UsersPage,
  profileValuesOf,
  userPath,
} from './pages/users.js';
import { type Locale, isLocale } from '../pages/locales.js';
import { CONSOLE_PATHS } from './paths.js';
import type { ConsoleKey } from './text/catalog.js';

/** Notices a detail page may be sent back with after a change (?notice=...). */
const NOTICES: Record<string, ConsoleKey> = {
  created: 'users.createdNotice',
  invited: 'users.invitedNotice',
  saved: 'users.saved',
  disabled: 'users.disabledNotice',
  enabled: 'users.enabledNotice',
  password: 'users.passwordNotice',
  signedOut: 'users.sessionsEnded',
  revoked: 'users.revoked',
  scopeRemoved: 'grantScopes.removed',
};

const canWrite = (call: ConsoleCall): boolean => call.frame.operator?.role !== 'viewer';
const api = (id: string, rest = ''): string => `/users/${encodeURIComponent(id)}${rest}`;

function newUserValues(form: URLSearchParams, fallback: Locale): NewUserValues {
  const how = form.get('how');
  const locale = form.get('locale') ?? '';
  return {
    locale: isLocale(locale) ? locale : fallback,
    email: (form.get('email') ?? '').trim(),
    name: (form.get('name') ?? '').trim(),
    email_verified: form.get('email_verified') === '1',
    how: how === 'password' || how === 'none' ? how : 'invite',
  };
}

function profileValues(form: URLSearchParams): ProfileValues {
  const get = (name: string): string => (form.get(name) ?? '').trim();
  return {
    email: get('email'),
    name: get('name'),
    given_name: get('given_name'),
    family_name: get('family_name'),
    preferred_username: get('preferred_username'),
    email_verified: form.get('email_verified') === '1',
  };
}

/** The profile form as a patch: an empty field clears it (null). */
function profileBody(v: ProfileValues): Record<string, unknown> {
  const text = (value: string): string | null => (value === '' ? null : value);
  return {
    email: v.email,
    email_verified: v.email_verified,
    name: text(v.name),
    given_name: text(v.given_name),
    family_name: text(v.family_name),
    preferred_username: text(v.preferred_username),
  };
}

async function showDetail(
  call: ConsoleCall,
  id: string,
  state: { values?: ProfileValues; notice?: ConsoleKey; problem?: ReturnType<typeof formProblem> } = {},
): Promise<Response> {
  const result = await call.api.get<UserView>(api(id));
  if (!result.ok) apiFailed(result);
  const [sessions, grants, activity] = await Promise.all([
    call.read<{ data: SessionView[] }>(api(id, '/sessions')),
    call.read<{ data: UserGrantView[] }>(api(id, '/grants')),
    call.read<{ data: ActivityView[] }>(`/audit-log?${new URLSearchParams({ user_id: id, limit: '10' })}`),
  ]);
  const status = state.problem || state.notice === 'users.confirmNeeded' ? 400 : state.notice === 'users.stale' ? 409 : 200;
  return sendPage(
    call.c,
    UserDetailPage({
      frame: call.frame,
      user: result.body,
      etag: result.etag ?? '',
      values: state.values ?? profileValuesOf(result.body),
      sessions: sessions.data,
      grants: grants.data,
      activity: activity.data,
      canWrite: canWrite(call),
      notice: state.notice,
      problem: state.problem,
    }),
    status,
  );
}

/**
 * After a change: back to the detail page with its notice, or the page again with what the
 * API refused (sign-in, not allowed and not found end the page, as for any read).
 */
async function afterChange(call: ConsoleCall, id: string, result: { ok: boolean; status: number; problem?: unknown }, notice: string): Promise<Response> {
  if (result.ok) return call.redirect(`${userPath(id)}?notice=${notice}`);
  const failed = result as { ok: false; status: number; problem: Parameters<typeof formProblem>[0] };
  if (failed.status === 401 || failed.status === 403 || failed.status === 404) apiFailed(failed);
  return showDetail(call, id, { problem: formProblem(failed.problem) });
}

/** The users pages: list with search, adding (or inviting) one, and each user's page. */
export function registerUserPages(app: Hono, fetch: AppFetch): void {
  const page = (handle: (call: ConsoleCall) => Promise<Response>) => consolePage(fetch, handle);
  const idOf = (call: ConsoleCall): string => call.c.req.param('id') ?? '';

  app.get(
    CONSOLE_PATHS.users,
    page(async (call) => {
      const q = (call.c.req.query('q') ?? '').trim().slice(0, 200);
      const cursor = call.c.req.query('cursor');
      const query = new URLSearchParams({ limit: '50', ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) });
      const list = await call.read<{ data: UserView[]; next_cursor: string | null }>(`/users?${query}`);
      const notice = call.c.req.query('notice') === 'deleted' ? 'users.deleted' : undefined;
      return sendPage(call.c, UsersPage({ frame: call.frame, users: list.data, q, next: list.next_cursor ?? undefined, notice }));
    }),
  );

  app.get(
    NEW_USER_PATH,
    page(async (call) =>
      sendPage(
        call.c,
        NewUserPage({
          frame: call.frame,
          values: { email: '', name: '', email_verified: false, how: 'invite', locale: call.t.locale },
          idempotencyKey: randomToken(16),
        }),
      ),
    ),
  );

  app.post(
    NEW_USER_PATH,
    page(async (call) => {
      const values = newUserValues(call.form, call.t.locale);
      const password = call.form.get('password') ?? '';
      const body: Record<string, unknown> = { email: values.email, email_verified: values.email_verified };
      if (values.name) body.name = values.name;
      if (values.how === 'password') body.password = password;
      if (values.how === 'invite') {
        body.invite = true;
        body.locale = values.locale;
      }
      const key = call.form.get('idempotency_key') ?? randomToken(16);
      const result = await call.api.send<UserView>('POST', '/users', body, { 'idempotency-key': key.slice(0, 100) });
      if (!result.ok) {
        if (result.status === 401 || result.status === 403) apiFailed(result);
        return sendPage(call.c, NewUserPage({ frame: call.frame, values, idempotencyKey: randomToken(16), problem: formProblem(result.problem) }), 400);
      }
      return call.redirect(`${userPath(result.body.user_id)}?notice=${values.how === 'invite' ? 'invited' : 'created'}`);
    }),
  );

  app.get(
    `${CONSOLE_PATHS.users}/:id`,
    page(async (call) => showDetail(call, idOf(call), { notice: NOTICES[call.c.req.query('notice') ?? ''] })),
  );

  app.post(
    `${CONSOLE_PATHS.users}/:id`,
    page(async (call) => {
      const id = idOf(call);
      const values = profileValues(call.form);
      const etag = call.form.get('etag') ?? '';
      const result = await call.api.send<UserView>('PATCH', api(id), profileBody(values), etag ? { 'if-match': etag } : {});
      if (result.ok) return call.redirect(`${userPath(id)}?notice=saved`);
      if (result.status === 412) return showDetail(call, id, { values, notice: 'users.stale' });
      if (result.status === 401 || result.status === 403 || result.status === 404) apiFailed(result);
      return showDetail(call, id, { values, problem: formProblem(result.problem) });
    }),
  );

  app.post(
    `${CONSOLE_PATHS.users}/:id/status`,
    page(async (call) => {
      const id = idOf(call);
      const disabled = call.form.get('disabled') === '1';
      const result = await call.api.send('PATCH', api(id), { disabled });
      return afterChange(call, id, result, disabled ? 'disabled' : 'enabled');
    }),
  );

  app.post(
    `${CONSOLE_PATHS.users}/:id/password`,
    page(async (call) => {
      const id = idOf(call);
      const result = await call.api.send('PUT', api(id, '/password'), { password: call.form.get('password') ?? '' });
      return afterChange(call, id, result, 'password');
    }),
  );

  app.post(
    `${CONSOLE_PATHS.users}/:id/invitation`,
    page(async (call) => {
      const id = idOf(call);
      return afterChange(call, id, await call.api.send('POST', `${api(id, '/invitation')}?locale=${call.t.locale}`), 'invited');
    }),
  );

  app.post(
    `${CONSOLE_PATHS.users}/:id/sessions/end`,
    page(async (call) => {
      const id = idOf(call);
      const sid = call.form.get('session_id');
      const route = sid ? api(id, `/sessions/${encodeURIComponent(sid)}`) : api(id, '/sessions');
      return afterChange(call, id, await call.api.send('DELETE', route), 'signedOut');
    }),
  );

  app.post(
    `${CONSOLE_PATHS.users}/:id/grants/revoke`,
    page(async (call) => {
      const id = idOf(call);
      const grant = call.form.get('grant_id') ?? '';
      return afterChange(call, id, await call.api.send('DELETE', api(id, `/grants/${encodeURIComponent(grant)}`)), 'revoked');
    }),
  );

  app.post(
    `${CONSOLE_PATHS.users}/:id/grants/remove-scope`,
    page(async (call) => {
      const id = idOf(call);
      const grant = encodeURIComponent(call.form.get('grant_id') ?? '');
      const scope = encodeURIComponent(call.form.get('scope') ?? '');
      return afterChange(call, id, await call.api.send('DELETE', api(id, `/grants/${grant}/scopes/${scope}`)), 'scopeRemoved');
    }),
  );

  app.post(
    `${CONSOLE_PATHS.users}/:id/delete`,
    page(async (call) => {
      const id = idOf(call);
      if (call.form.get('confirm') !== '1') return showDetail(call, id, { notice: 'users.confirmNeeded' });
      const etag = call.form.get('etag') ?? '';
      const result = await call.api.send('DELETE', api(id), undefined, etag ? { 'if-match': etag } : {});
      if (result.ok) return call.redirect(`${CONSOLE_PATHS.users}?notice=deleted`);
      if (result.status === 412) return showDetail(call, id, { notice: 'users.stale' });
      if (result.status === 401 || result.status === 403 || result.status === 404) apiFailed(result);
      return showDetail(call, id, { problem: formProblem(result.problem) });
    }),
  );
}
