import type { z } from 'zod';
import type { settingsSchema } from '../admin/api/settings-schema.js';
import { type ConsoleCall, apiFailed } from './guard.js';
import { type FormProblem, formProblem } from './pages/form-problem.js';

export type Settings = z.infer<typeof settingsSchema>;

/** How a save of the issuer's settings ended, for the page that posted it. */
export type SettingsSave = { saved: true } | { stale: true } | { problem: FormProblem };

/**
 * Sends `changes` (only what differs from what is stored: a value still taken from the
 * environment stays so) as PATCH /settings with the ETag the form was drawn from. The branding
 * and security settings pages share it; a refusal that ends the page (sign-in, not allowed) throws.
 */
export async function saveSettings(call: ConsoleCall, changes: Record<string, unknown>): Promise<SettingsSave> {
  if (Object.keys(changes).length === 0) return { saved: true };
  const etag = call.form.get('etag') ?? '';
  const result = await call.api.send<Settings>('PATCH', '/settings', changes, etag ? { 'if-match': etag } : {});
  if (result.ok) return { saved: true };
  if (result.status === 412) return { stale: true };
  if (result.status === 401 || result.status === 403 || result.status === 404) apiFailed(result);
  return { problem: formProblem(result.problem) };
}
