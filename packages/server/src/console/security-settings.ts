import type { Hono } from 'hono';
import { sendPage } from '../http/respond.js';
import type { AppFetch } from './api.js';
import { type ConsoleCall, apiFailed, consolePage } from './guard.js';
import type { FormProblem } from './pages/form-problem.js';
import { SECURITY_FIELDS, SecuritySettingsPage, type SecurityValues } from './pages/security-settings.js';
import { CONSOLE_PATHS } from './paths.js';
import { type Settings, saveSettings } from './settings-patch.js';
import type { ConsoleKey } from './text/catalog.js';

const valuesOf = (s: Settings): SecurityValues =>
  ({ ...Object.fromEntries(SECURITY_FIELDS.map((f) => [f.name, String(s[f.name])])), email_code: s.email_code }) as SecurityValues;

// Lifetimes and the throttle are the owners' (the Admin API refuses anyone else with 403).
const canWrite = (call: ConsoleCall): boolean => call.frame.operator?.role === 'owner';

async function show(call: ConsoleCall, state: { values?: SecurityValues; notice?: ConsoleKey; problem?: FormProblem } = {}): Promise<Response> {
  const result = await call.api.get<Settings>('/settings');
  if (!result.ok) apiFailed(result);
  const status = state.problem ? 400 : state.notice === 'security.stale' ? 409 : 200;
  return sendPage(
    call.c,
    SecuritySettingsPage({
      frame: call.frame,
      values: state.values ?? valuesOf(result.body),
      etag: result.etag ?? '',
      canWrite: canWrite(call),
      notice: state.notice,
      problem: state.problem,
    }),
    status,
  );
}

/**
 * <issuer>/admin/settings: token and session lifetimes and the sign-in throttle (GET/PATCH
 * /settings). Only what differs is sent, so a value still taken from the environment stays so.
 */
export function registerSecuritySettingsPages(app: Hono, fetch: AppFetch): void {
  app.get(
    CONSOLE_PATHS.settings,
    consolePage(fetch, async (call) => show(call, { notice: call.c.req.query('notice') === 'saved' ? 'security.saved' : undefined })),
  );
  app.post(
    CONSOLE_PATHS.settings,
    consolePage(fetch, async (call) => {
      const values = {
        ...Object.fromEntries(SECURITY_FIELDS.map((f) => [f.name, (call.form.get(f.name) ?? '').trim().slice(0, 20)])),
        email_code: call.form.get('email_code') === '1',
      } as SecurityValues;
      const current = valuesOf(await call.read<Settings>('/settings'));
      const body: Record<string, unknown> = {};
      for (const f of SECURITY_FIELDS) {
        if (values[f.name] === current[f.name]) continue;
        // A number the API checks against its bounds; anything else is sent as typed, to be refused by name.
        body[f.name] = /^\d{1,12}$/.test(values[f.name]) ? Number(values[f.name]) : values[f.name];
      }
      if (values.email_code !== current.email_code) body.email_code = values.email_code;
      const saved = await saveSettings(call, body);
      if ('saved' in saved) return call.redirect(`${CONSOLE_PATHS.settings}?notice=saved`);
      if ('stale' in saved) return show(call, { notice: 'security.stale' });
      return show(call, { values, problem: saved.problem });
    }),
  );
}
