import type { Hono } from 'hono';
import { sendPage } from '../http/respond.js';
import type { AppFetch } from './api.js';
import { type ConsoleCall, apiFailed, consolePage } from './guard.js';
import type { FormProblem } from './pages/form-problem.js';
import { CLOSED_ACCOUNTS_FIELD, type MfaValues, SECURITY_FIELDS, SecuritySettingsPage, type SecurityValues } from './pages/security-settings.js';
import { CONSOLE_PATHS } from './paths.js';
import { type Settings, saveSettings } from './settings-patch.js';
import type { ConsoleKey } from './text/catalog.js';

const valuesOf = (s: Settings): SecurityValues =>
  ({
    ...Object.fromEntries(SECURITY_FIELDS.map((f) => [f.name, String(s[f.name])])),
    sign_up: s.sign_up,
    [CLOSED_ACCOUNTS_FIELD]: s.closed_accounts,
    email_code: s.email_code,
  }) as SecurityValues;
const mfaOf = (s: Settings): MfaValues => ({ mfa: s.mfa, remember_device: s.remember_device });

/** The MFA choices as posted: anything but the three policies is sent as typed, for the API to refuse by name. */
function postedMfa(form: URLSearchParams, current: MfaValues): MfaValues {
  const mfa = form.get('mfa') ?? current.mfa;
  return { mfa: (['off', 'optional', 'required'].includes(mfa) ? mfa : current.mfa) as MfaValues['mfa'], remember_device: form.get('remember_device') === '1' };
}

// Lifetimes and the throttle are the owners' (the Admin API refuses anyone else with 403).
const canWrite = (call: ConsoleCall): boolean => call.frame.operator?.role === 'owner';

async function show(
  call: ConsoleCall,
  state: { values?: SecurityValues; mfa?: MfaValues; notice?: ConsoleKey; problem?: FormProblem } = {},
): Promise<Response> {
  const result = await call.api.get<Settings>('/settings');
  if (!result.ok) apiFailed(result);
  const status = state.problem ? 400 : state.notice === 'security.stale' ? 409 : 200;
  return sendPage(
    call.c,
    SecuritySettingsPage({
      frame: call.frame,
      values: state.values ?? valuesOf(result.body),
      mfa: state.mfa ?? mfaOf(result.body),
      etag: result.etag ?? '',
      canWrite: canWrite(call),
      notice: state.notice,
      problem: state.problem,
    }),
    status,
  );
}

/**
 * <issuer>/admin/settings: token and session lifetimes, the sign-in throttle and the sign-up policy (GET/PATCH
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
      const read = await call.read<Settings>('/settings');
      const current = valuesOf(read);
      const values = {
        ...Object.fromEntries(SECURITY_FIELDS.map((f) => [f.name, (call.form.get(f.name) ?? '').trim().slice(0, 20)])),
        // A form without the choice (an older page still open) leaves the policy as it is.
        sign_up: call.form.get('sign_up')?.slice(0, 20) ?? current.sign_up,
        [CLOSED_ACCOUNTS_FIELD]: call.form.get(CLOSED_ACCOUNTS_FIELD)?.slice(0, 20) ?? current[CLOSED_ACCOUNTS_FIELD],
        email_code: call.form.get('email_code') === '1',
      } as SecurityValues;
      const mfa = postedMfa(call.form, mfaOf(read));
      const body: Record<string, unknown> = {};
      // A choice the API checks (off, open or invitation); sent as chosen, only when it changed.
      if (values.sign_up !== current.sign_up) body.sign_up = values.sign_up;
      if (mfa.mfa !== read.mfa) body.mfa = mfa.mfa;
      if (mfa.remember_device !== read.remember_device) body.remember_device = mfa.remember_device;
      for (const f of SECURITY_FIELDS) {
        if (values[f.name] === current[f.name]) continue;
        // A number the API checks against its bounds; anything else is sent as typed, to be refused by name.
        body[f.name] = /^\d{1,12}$/.test(values[f.name]) ? Number(values[f.name]) : values[f.name];
      }
      // A choice the API checks by name (delete, anonymise); a form without it changes nothing.
      if (values[CLOSED_ACCOUNTS_FIELD] !== '' && values[CLOSED_ACCOUNTS_FIELD] !== current[CLOSED_ACCOUNTS_FIELD])
        body[CLOSED_ACCOUNTS_FIELD] = values[CLOSED_ACCOUNTS_FIELD];
      if (values.email_code !== current.email_code) body.email_code = values.email_code;
      const saved = await saveSettings(call, body);
      if ('saved' in saved) return call.redirect(`${CONSOLE_PATHS.settings}?notice=saved`);
      if ('stale' in saved) return show(call, { notice: 'security.stale' });
      return show(call, { values, mfa, problem: saved.problem });
    }),
  );
}
