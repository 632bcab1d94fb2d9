import type { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { presetNames } from '../federation/presets.js';
import { sendPage } from '../http/respond.js';
import type { ApiResult, AppFetch } from './api.js';
import { type ConsoleCall, apiFailed, consolePage } from './guard.js';
import { type FormProblem, formProblem } from './pages/form-problem.js';
import {
  CLAIM_KEYS,
  type ProviderFormValues,
  type ProviderRow,
  UpstreamProviderPage,
  UpstreamProvidersPage,
  providerPath,
} from './pages/upstream-providers.js';
import { CONSOLE_PATHS } from './paths.js';
import type { ConsoleKey } from './text/catalog.js';

const canWrite = (call: ConsoleCall): boolean => call.frame.operator?.role !== 'viewer';
const api = (id: string): string => `/upstream-providers/${encodeURIComponent(id)}`;
const NOTICES: Record<string, ConsoleKey> = { saved: 'idp.saved', deleted: 'idp.deleted', created: 'idp.created' };

/** What the form posted, as typed: shown again when the API refuses it. Never the client secret. */
function formValues(form: URLSearchParams): ProviderFormValues {
  const text = (name: string): string => (form.get(name) ?? '').trim();
  return {
    id: text('id'),
    preset: text('preset'),
    kind: text('kind'),
    display_name: text('display_name'),
    issuer_url: text('issuer_url'),
    authorization_endpoint: text('authorization_endpoint'),
    token_endpoint: text('token_endpoint'),
    userinfo_endpoint: text('userinfo_endpoint'),
    client_id: text('client_id'),
    scopes: text('scopes'),
    claims: Object.fromEntries(CLAIM_KEYS.map((k) => [k, text(`claim_${k}`)])),
    trusted_for_linking: form.get('trusted_for_linking') === '1',
    trust_amr: form.get('trust_amr') === '1',
    enabled: form.get('enabled') === '1',
    default_sign_in: text('default_sign_in') || 'off',
  };
}

/** The fields only when given: the API (and its presets) fill in the rest. */
function claimMapping(values: ProviderFormValues): Record<string, string> | undefined {
  const given = Object.entries(values.claims).filter(([, v]) => v !== '');
  return given.length > 0 ? Object.fromEntries(given) : undefined;
}

const scopesOf = (raw: string): string[] => raw.split(/[\s,]+/).filter(Boolean);

function createBody(values: ProviderFormValues, secret: string): Record<string, unknown> {
  const optional = (value: string): string | undefined => (value === '' ? undefined : value);
  return {
    id: values.id,
    preset: optional(values.preset),
    kind: optional(values.kind),
    display_name: optional(values.display_name),
    issuer_url: optional(values.issuer_url),
    authorization_endpoint: optional(values.authorization_endpoint),
    token_endpoint: optional(values.token_endpoint),
    userinfo_endpoint: optional(values.userinfo_endpoint),
    client_id: values.client_id,
    client_secret: secret,
    scopes: values.scopes === '' ? undefined : scopesOf(values.scopes),
    claim_mapping: claimMapping(values),
    trusted_for_linking: values.trusted_for_linking,
    trust_amr: values.trust_amr,
    enabled: values.enabled,
    default_sign_in: values.default_sign_in,
  };
}

/** A change of every field the form shows; an empty secret keeps the stored one, an empty endpoint clears its override. */
function patchBody(values: ProviderFormValues, secret: string): Record<string, unknown> {
  return {
    display_name: values.display_name,
    issuer_url: values.issuer_url,
    authorization_endpoint: values.authorization_endpoint,
    token_endpoint: values.token_endpoint,
    userinfo_endpoint: values.userinfo_endpoint,
    client_id: values.client_id,
    ...(secret === '' ? {} : { client_secret: secret }),
    scopes: scopesOf(values.scopes),
    claim_mapping: claimMapping(values),
    trusted_for_linking: values.trusted_for_linking,
    trust_amr: values.trust_amr,
    enabled: values.enabled,
    default_sign_in: values.default_sign_in,
  };
}

async function showList(call: ConsoleCall, state: { values?: ProviderFormValues; problem?: FormProblem } = {}): Promise<Response> {
  const { data } = await call.read<{ data: ProviderRow[] }>('/upstream-providers');
  const notice = NOTICES[call.c.req.query('notice') ?? ''];
  return sendPage(
    call.c,
    UpstreamProvidersPage({
      frame: call.frame,
      providers: data,
      presets: presetNames(),
      canWrite: canWrite(call),
      notice: notice === 'idp.deleted' ? notice : undefined,
      values: state.values,
      problem: state.problem,
    }),
    (state.problem ? 400 : 200) as ContentfulStatusCode,
  );
}

async function showProvider(
  call: ConsoleCall,
  id: string,
  state: { values?: ProviderFormValues; problem?: FormProblem; problemAt?: string; status?: number } = {},
): Promise<Response> {
  const provider = await call.read<ProviderRow>(api(id));
  const notice = call.c.req.method === 'GET' ? NOTICES[call.c.req.query('notice') ?? ''] : undefined;
  return sendPage(
    call.c,
    UpstreamProviderPage({ frame: call.frame, provider, canWrite: canWrite(call), notice, ...state }),
    (state.status ?? (state.problem ? 400 : 200)) as ContentfulStatusCode,
  );
}

/** A refusal the page cannot show as a form problem (not signed in, not allowed) ends the page. */
function refusedOrThrow(result: ApiResult<unknown> & { ok: false }): FormProblem {
  if (result.status === 401 || result.status === 403 || result.status === 404) apiFailed(result);
  return formProblem(result.problem);
}

/**
 * The sign-in providers pages (docs/federation.md, docs/console.md): list, add (from a preset or
 * by hand), change and delete, all through the Admin API's /upstream-providers, so the
 * federation service's rules and the API's roles hold here too. The client secret is written
 * only: no page shows it, not even the form it was typed in when the API refuses the rest.
 */
export function registerUpstreamProviderPages(app: Hono, fetch: AppFetch): void {
  const base = CONSOLE_PATHS.upstreamProviders;
  const idOf = (call: ConsoleCall): string => call.c.req.param('id') ?? '';

  app.get(
    base,
    consolePage(fetch, (call) => showList(call)),
  );

  app.post(
    base,
    consolePage(fetch, async (call) => {
      const values = formValues(call.form);
      const result = await call.api.send<ProviderRow>('POST', '/upstream-providers', createBody(values, call.form.get('client_secret') ?? ''));
      if (result.ok) return call.redirect(`${providerPath(result.body.id)}?notice=created`);
      return showList(call, { values, problem: refusedOrThrow(result) });
    }),
  );

  app.get(
    `${base}/:id`,
    consolePage(fetch, (call) => showProvider(call, idOf(call))),
  );

  app.post(
    `${base}/:id`,
    consolePage(fetch, async (call) => {
      const id = idOf(call);
      const values = formValues(call.form);
      const result = await call.api.send<ProviderRow>('PATCH', api(id), patchBody(values, call.form.get('client_secret') ?? ''));
      if (result.ok) return call.redirect(`${providerPath(id)}?notice=saved`);
      return showProvider(call, id, { values, problem: refusedOrThrow(result), problemAt: 'settings' });
    }),
  );

  app.post(
    `${base}/:id/delete`,
    consolePage(fetch, async (call) => {
      const id = idOf(call);
      if (call.form.get('confirm') !== '1') {
        return showProvider(call, id, { problem: { detail: undefined, fields: {}, own: { confirm: 'idp.deleteConfirmMissing' } }, problemAt: 'delete' });
      }
      const result = await call.api.send('DELETE', api(id));
      if (result.ok) return call.redirect(`${base}?notice=deleted`);
      return showProvider(call, id, { problem: refusedOrThrow(result), problemAt: 'delete' });
    }),
  );
}
