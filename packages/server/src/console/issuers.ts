import type { Hono } from 'hono';
import { PageError } from '../errors.js';
import { sendPage } from '../http/respond.js';
import { say } from '../pages/translator.js';
import { randomToken } from '../tokens/random.js';
import type { AppFetch } from './api.js';
import { type ConsoleCall, apiFailed, consolePage } from './guard.js';
import { formProblem } from './pages/form-problem.js';
import { IssuerPage, type IssuerFormValues, type IssuerView, IssuersPage, NEW_ISSUER, type NewIssuerValues, issuerRoute } from './pages/issuers.js';
import { CONSOLE_PATHS } from './paths.js';
import type { ConsoleKey } from './text/catalog.js';

const lines = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim().toLowerCase())
    .filter((l) => l !== '');

const emptyNew = (): NewIssuerValues => ({ id: '', name: '', domains: '' });

type Problem = ReturnType<typeof formProblem>;

/** Issuers are for system owners, on the default issuer's console only: anyone else finds no page. */
function systemOnly(handle: (call: ConsoleCall) => Promise<Response>): (call: ConsoleCall) => Promise<Response> {
  return async (call) => {
    if (!call.frame.operator?.system) throw new PageError(say('error.notFound'), { status: 404 });
    return handle(call);
  };
}

async function showList(call: ConsoleCall, state: { values?: NewIssuerValues; notice?: ConsoleKey; problem?: Problem } = {}): Promise<Response> {
  const list = await call.read<{ data: IssuerView[] }>('/issuers');
  return sendPage(
    call.c,
    IssuersPage({
      frame: call.frame,
      issuers: list.data,
      values: state.values ?? emptyNew(),
      idempotencyKey: randomToken(16),
      notice: state.notice,
      problem: state.problem,
    }),
    state.problem ? 400 : 200,
  );
}

async function showIssuer(call: ConsoleCall, id: string, state: { values?: IssuerFormValues; notice?: ConsoleKey; problem?: Problem } = {}): Promise<Response> {
  const result = await call.api.get<IssuerView>(`/issuers/${encodeURIComponent(id)}`);
  if (!result.ok) apiFailed(result);
  const issuer = result.body;
  const status = state.problem ? 400 : state.notice === 'issuers.stale' || state.notice === 'issuers.hasUsers' ? 409 : 200;
  return sendPage(
    call.c,
    IssuerPage({
      frame: call.frame,
      issuer,
      etag: result.etag ?? '',
      values: state.values ?? { name: issuer.name, domains: issuer.domains.join('\n') },
      notice: state.notice,
      problem: state.problem,
    }),
    status,
  );
}

/** The issuers pages at <issuer>/admin/issuers: /issuers of the Admin API, for system owners. */
export function registerIssuerPages(app: Hono, fetch: AppFetch): void {
  const page = (handle: (call: ConsoleCall) => Promise<Response>) => consolePage(fetch, systemOnly(handle));
  const idOf = (call: ConsoleCall): string => call.c.req.param('id') ?? '';

  app.get(
    CONSOLE_PATHS.issuers,
    page(async (call) => showList(call, { notice: call.c.req.query('notice') === 'deleted' ? 'issuers.deleted' : undefined })),
  );

  app.post(
    NEW_ISSUER,
    page(async (call) => {
      const values: NewIssuerValues = {
        id: (call.form.get('id') ?? '').trim(),
        name: (call.form.get('name') ?? '').trim(),
        domains: call.form.get('domains') ?? '',
      };
      const key = (call.form.get('idempotency_key') ?? randomToken(16)).slice(0, 100);
      const result = await call.api.send<IssuerView>(
        'POST',
        '/issuers',
        { id: values.id, name: values.name, domains: lines(values.domains) },
        { 'idempotency-key': key },
      );
      if (result.ok) return call.redirect(`${issuerRoute(result.body.id)}?notice=created`);
      if (result.status === 401 || result.status === 403) apiFailed(result);
      return showList(call, { values, problem: formProblem(result.problem) });
    }),
  );

  app.get(
    `${CONSOLE_PATHS.issuers}/:id`,
    page(async (call) => {
      const notice = call.c.req.query('notice');
      return showIssuer(call, idOf(call), { notice: notice === 'saved' ? 'issuers.saved' : notice === 'created' ? 'issuers.created' : undefined });
    }),
  );

  app.post(
    `${CONSOLE_PATHS.issuers}/:id`,
    page(async (call) => {
      const id = idOf(call);
      const current = await call.read<IssuerView>(`/issuers/${encodeURIComponent(id)}`);
      const values: IssuerFormValues = { name: (call.form.get('name') ?? '').trim(), domains: call.form.get('domains') ?? '' };
      const wanted = lines(values.domains);
      const body = {
        ...(values.name === current.name ? {} : { name: values.name }),
        add_domains: wanted.filter((d) => !current.domains.includes(d)),
        remove_domains: current.domains.filter((d) => !wanted.includes(d)),
      };
      if (body.name === undefined && body.add_domains.length + body.remove_domains.length === 0) return call.redirect(`${issuerRoute(id)}?notice=saved`);
      const etag = call.form.get('etag') ?? '';
      const result = await call.api.send<IssuerView>('PATCH', `/issuers/${encodeURIComponent(id)}`, body, etag ? { 'if-match': etag } : {});
      if (result.ok) return call.redirect(`${issuerRoute(id)}?notice=saved`);
      if (result.status === 412) return showIssuer(call, id, { notice: 'issuers.stale' });
      if (result.status === 401 || result.status === 403 || result.status === 404) apiFailed(result);
      return showIssuer(call, id, { values, problem: formProblem(result.problem) });
    }),
  );

  app.post(
    `${CONSOLE_PATHS.issuers}/:id/delete`,
    page(async (call) => {
      const id = idOf(call);
      if (call.form.get('confirm') !== '1')
        return showIssuer(call, id, { problem: { detail: undefined, fields: {}, own: { confirm: 'issuers.unconfirmed' } } });
      const force = call.form.get('force') === '1' ? '?force=true' : '';
      const etag = call.form.get('etag') ?? '';
      const result = await call.api.send('DELETE', `/issuers/${encodeURIComponent(id)}${force}`, undefined, etag ? { 'if-match': etag } : {});
      if (result.ok) return call.redirect(`${CONSOLE_PATHS.issuers}?notice=deleted`);
      if (result.status === 409) return showIssuer(call, id, { notice: id === 'default' ? undefined : 'issuers.hasUsers' });
      if (result.status === 412) return showIssuer(call, id, { notice: 'issuers.stale' });
      if (result.status === 401 || result.status === 403 || result.status === 404) apiFailed(result);
      return showIssuer(call, id, { problem: formProblem(result.problem) });
    }),
  );
}
