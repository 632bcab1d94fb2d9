import type { Hono } from 'hono';
import { sendPage } from '../http/respond.js';
import type { AppFetch } from './api.js';
import { type ConsoleCall, apiFailed, consolePage } from './guard.js';
import { formProblem, type FormProblem } from './pages/form-problem.js';
import { type MemberView, type OrganizationView, OrganizationPage, OrganizationsPage, type RoleView, orgPath } from './pages/organizations.js';
import { CONSOLE_PATHS } from './paths.js';
import type { ApiResult } from './api.js';
import type { ConsoleKey } from './text/catalog.js';
import type { SsoFormValues, SsoView } from './pages/organization-sso.js';

const canWrite = (call: ConsoleCall): boolean => call.frame.operator?.role !== 'viewer';
const api = (id: string, rest = ''): string => `/organizations/${encodeURIComponent(id)}${rest}`;
const lines = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');

/** The role map textarea: empty for none, else a JSON object of role lists; undefined when it is not. */
function roleMapOf(raw: string): Record<string, string[]> | undefined {
  if (raw === '') return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    const entries = Object.entries(parsed as Record<string, unknown>);
    if (!entries.every(([, roles]) => Array.isArray(roles) && roles.every((r) => typeof r === 'string'))) return undefined;
    return Object.fromEntries(entries) as Record<string, string[]>;
  } catch {
    return undefined;
  }
}

const NOTICES: Record<string, ConsoleKey> = { saved: 'orgs.saved', deleted: 'orgs.deleted' };

async function showOrganization(
  call: ConsoleCall,
  id: string,
  state: { notice?: ConsoleKey; problem?: FormProblem; problemAt?: string; ssoValues?: SsoFormValues } = {},
): Promise<Response> {
  const found = await call.api.get<OrganizationView>(api(id));
  if (!found.ok) apiFailed(found);
  // Members 100 a page: "More members" carries the cursor (?members=) and keeps the rest of the page.
  const cursor = call.c.req.method === 'GET' ? call.c.req.query('members') : undefined;
  const membersRoute = `${api(id, '/members')}?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor.slice(0, 500))}` : ''}`;
  const [roles, members, sso, providers] = await Promise.all([
    call.read<{ data: RoleView[] }>(api(id, '/roles')),
    call.read<{ data: MemberView[]; next_cursor: string | null }>(membersRoute),
    call.api.get<SsoView>(api(id, '/sso')),
    call.read<{ data: { id: string; display_name: string }[] }>('/upstream-providers'),
  ]);
  // No SSO settings is a 404 of that read: the section then offers to set them.
  if (!sso.ok && sso.status !== 404) apiFailed(sso);
  const status = state.problem ? 400 : state.notice === 'orgs.stale' ? 409 : 200;
  return sendPage(
    call.c,
    OrganizationPage({
      frame: call.frame,
      organization: found.body,
      etag: found.etag ?? '',
      roles: roles.data,
      members: members.data,
      moreMembers: members.next_cursor ?? undefined,
      sso: sso.ok ? sso.body : undefined,
      providers: providers.data,
      canWrite: canWrite(call),
      ...state,
    }),
    status,
  );
}

/** After a write: back to the page with a notice, or the page again with what the API refused, at its form. */
function afterWrite(call: ConsoleCall, id: string, result: ApiResult<unknown>, at: string): Promise<Response> | Response {
  if (result.ok) return call.redirect(`${orgPath(id)}?notice=saved`);
  if (result.status === 401 || result.status === 403) apiFailed(result);
  if (result.status === 412) return showOrganization(call, id, { notice: 'orgs.stale' });
  return showOrganization(call, id, { problem: formProblem(result.problem), problemAt: at });
}

/** The organizations pages (docs/console.md): list and create, and each organization's settings, roles and members. */
export function registerOrganizationPages(app: Hono, fetch: AppFetch): void {
  const page = (handle: (call: ConsoleCall) => Promise<Response> | Response) => consolePage(fetch, async (call) => handle(call));
  const idOf = (call: ConsoleCall): string => call.c.req.param('id') ?? '';
  const base = CONSOLE_PATHS.organizations;

  const list = async (call: ConsoleCall, state: { values?: { id: string; name: string }; problem?: FormProblem } = {}): Promise<Response> => {
    const q = (call.c.req.query('q') ?? '').trim().slice(0, 200);
    const cursor = call.c.req.query('cursor');
    const query = new URLSearchParams({ limit: '50', ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) });
    const found = await call.read<{ data: OrganizationView[]; next_cursor: string | null }>(`/organizations?${query}`);
    const notice = NOTICES[call.c.req.query('notice') ?? ''];
    return sendPage(
      call.c,
      OrganizationsPage({
        frame: call.frame,
        organizations: found.data,
        q,
        next: found.next_cursor ?? undefined,
        notice: notice === 'orgs.deleted' ? notice : undefined,
        canWrite: canWrite(call),
        values: state.values ?? { id: '', name: '' },
        problem: state.problem,
      }),
      state.problem ? 400 : 200,
    );
  };

  app.get(base, page(list));

  app.post(
    `${base}/new`,
    page(async (call) => {
      const values = { id: (call.form.get('id') ?? '').trim(), name: (call.form.get('name') ?? '').trim() };
      const result = await call.api.send<OrganizationView>('POST', '/organizations', { name: values.name, ...(values.id ? { id: values.id } : {}) });
      if (result.ok) return call.redirect(orgPath(result.body.id));
      if (result.status === 401 || result.status === 403) apiFailed(result);
      return list(call, { values, problem: formProblem(result.problem) });
    }),
  );

  app.get(
    `${base}/:id`,
    page((call) => showOrganization(call, idOf(call), { notice: NOTICES[call.c.req.query('notice') ?? ''] === 'orgs.saved' ? 'orgs.saved' : undefined })),
  );

  app.post(
    `${base}/:id/settings`,
    page(async (call) => {
      const id = idOf(call);
      const etag = call.form.get('etag') ?? '';
      const body = { name: (call.form.get('name') ?? '').trim(), suspended: call.form.get('suspended') === '1' };
      return afterWrite(call, id, await call.api.send('PATCH', api(id), body, etag ? { 'if-match': etag } : {}), 'settings');
    }),
  );

  app.post(
    `${base}/:id/sso`,
    page(async (call) => {
      const id = idOf(call);
      const values: SsoFormValues = {
        provider_id: (call.form.get('provider_id') ?? '').trim(),
        required: call.form.get('required') === '1',
        role_claim: (call.form.get('role_claim') ?? '').trim(),
        role_map: (call.form.get('role_map') ?? '').trim(),
      };
      const roleMap = roleMapOf(values.role_map);
      if (roleMap === undefined) {
        return showOrganization(call, id, {
          problem: { detail: undefined, fields: {}, own: { role_map: 'sso.roleMapJson' } },
          problemAt: 'sso',
          ssoValues: values,
        });
      }
      const body = { provider_id: values.provider_id, required: values.required, role_claim: values.role_claim || null, role_map: roleMap };
      const result = await call.api.send('PUT', api(id, '/sso'), body);
      if (result.ok || result.status === 401 || result.status === 403 || result.status === 412) return afterWrite(call, id, result, 'sso');
      return showOrganization(call, id, { problem: formProblem(result.problem), problemAt: 'sso', ssoValues: values });
    }),
  );

  app.post(
    `${base}/:id/sso/clear`,
    page(async (call) => {
      const id = idOf(call);
      return afterWrite(call, id, await call.api.send('DELETE', api(id, '/sso')), 'sso');
    }),
  );

  app.post(
    `${base}/:id/roles/add`,
    page(async (call) => {
      const id = idOf(call);
      const body = { name: (call.form.get('name') ?? '').trim(), permissions: lines(call.form.get('permissions') ?? '') };
      return afterWrite(call, id, await call.api.send('POST', api(id, '/roles'), body), 'role');
    }),
  );

  app.post(
    `${base}/:id/roles/:role/permissions`,
    page(async (call) => {
      const id = idOf(call);
      const role = call.c.req.param('role') ?? '';
      const body = { permissions: lines(call.form.get('permissions') ?? '') };
      return afterWrite(call, id, await call.api.send('PATCH', api(id, `/roles/${encodeURIComponent(role)}`), body), `role:${role}`);
    }),
  );

  app.post(
    `${base}/:id/roles/:role/delete`,
    page(async (call) => {
      const id = idOf(call);
      const role = call.c.req.param('role') ?? '';
      return afterWrite(call, id, await call.api.send('DELETE', api(id, `/roles/${encodeURIComponent(role)}`)), `role:${role}`);
    }),
  );

  app.post(
    `${base}/:id/members/add`,
    page(async (call) => {
      const id = idOf(call);
      const user = (call.form.get('user') ?? '').trim();
      if (user === '')
        return showOrganization(call, id, { problem: { detail: undefined, fields: { user_id: 'give an email or a user id' } }, problemAt: 'member' });
      const body = { roles: call.form.getAll('roles') };
      return afterWrite(call, id, await call.api.send('PUT', api(id, `/members/${encodeURIComponent(user)}`), body), 'member');
    }),
  );

  app.post(
    `${base}/:id/members/:user/roles`,
    page(async (call) => {
      const id = idOf(call);
      const user = call.c.req.param('user') ?? '';
      return afterWrite(call, id, await call.api.send('PUT', api(id, `/members/${encodeURIComponent(user)}`), { roles: call.form.getAll('roles') }), 'member');
    }),
  );

  app.post(
    `${base}/:id/members/:user/remove`,
    page(async (call) => {
      const id = idOf(call);
      const user = call.c.req.param('user') ?? '';
      return afterWrite(call, id, await call.api.send('DELETE', api(id, `/members/${encodeURIComponent(user)}`)), 'member');
    }),
  );

  app.post(
    `${base}/:id/delete`,
    page(async (call) => {
      const id = idOf(call);
      if (call.form.get('confirm') !== '1') {
        return showOrganization(call, id, { problem: { detail: undefined, fields: { confirm: 'tick the box to confirm' } }, problemAt: 'delete' });
      }
      const etag = call.form.get('etag') ?? '';
      const result = await call.api.send('DELETE', api(id), undefined, etag ? { 'if-match': etag } : {});
      if (result.ok) return call.redirect(`${base}?notice=deleted`);
      return afterWrite(call, id, result, 'delete');
    }),
  );
}
