import { z } from 'zod';
import type { IssuerChanges } from '../../issuers/service.js';
import { type IssuerSettings, defaultSettings, resolveSettings } from '../../issuers/settings.js';
import type { Services } from '../../services.js';
import type { IssuerRecord } from '../../store/repos/issuers.js';
import type { FieldNames } from './problem.js';

/**
 * An issuer's settings as the Admin API shows and takes them (GET/PATCH /settings, and inside
 * /issuers): the effective values (its own, else the environment's), in snake_case. Every rule
 * is validateSettings' (issuers/settings.ts), the CLI's: the same refusals, contrast included.
 */

const link = z.string().max(2048).nullable().meta({ description: 'https URL; null or "" removes it' });

export const settingsSchema = z
  .object({
    display_name: z.string().meta({ description: 'The name on the sign-in pages and in mail' }),
    logo_url: z.string().nullable(),
    brand_color: z.string().meta({ description: 'Links and primary buttons, e.g. #1f4fd1' }),
    background_color: z.string().meta({ description: 'The page background' }),
    support_url: z.string().nullable(),
    privacy_url: z.string().nullable(),
    mail_from_name: z.string().meta({ description: 'The name mail is sent under (the address is the deployment’s)' }),
    access_token_ttl: z.number().int().meta({ description: 'Seconds' }),
    id_token_ttl: z.number().int().meta({ description: 'Seconds' }),
    refresh_token_ttl: z.number().int().meta({ description: 'Seconds a refresh token chain lives' }),
    code_ttl: z.number().int().meta({ description: 'Seconds an authorization code lives' }),
    session_ttl: z.number().int().meta({ description: 'Seconds a browser session lives' }),
    login_max_failures: z.number().int().meta({ description: 'Failed sign-ins allowed per account within login_window' }),
    login_window: z.number().int().meta({ description: 'The sign-in throttle’s window, seconds' }),
    sign_up: z.enum(['off', 'open', 'invitation']),
    mfa: z.enum(['off', 'optional', 'required']),
    remember_device: z.boolean().meta({ description: 'The second-factor step offers “remember this device for 30 days”' }),
    closed_accounts: z
      .enum(['delete', 'anonymise'])
      .meta({ description: 'What closing an account does: delete the user, or keep an anonymised row for the audit log' }),
    email_code: z.boolean().meta({ description: 'Whether the sign-in page offers "Email me a code" (needs the deployment’s mail)' }),
    audit_retention_days: z.number().int().meta({ description: 'Days the audit log is kept (older events are deleted); 0 keeps it for ever' }),
  })
  .meta({ id: 'IssuerSettings' });

export const settingsPatchSchema = z
  .strictObject({
    display_name: z.string().max(60).optional(),
    logo_url: link.optional(),
    brand_color: z.string().max(7).optional().meta({ description: '#rrggbb with WCAG AA contrast (4.5:1) against white, and 3:1 against background_color' }),
    background_color: z.string().max(7).optional(),
    support_url: link.optional(),
    privacy_url: link.optional(),
    mail_from_name: z.string().max(60).optional(),
    access_token_ttl: z.number().int().optional().meta({ description: '60 to 86400' }),
    id_token_ttl: z.number().int().optional().meta({ description: '60 to 86400' }),
    refresh_token_ttl: z.number().int().optional().meta({ description: '300 to 31536000' }),
    code_ttl: z.number().int().optional().meta({ description: '10 to 600' }),
    session_ttl: z.number().int().optional().meta({ description: '300 to 31536000' }),
    login_max_failures: z.number().int().optional().meta({ description: '1 to 1000' }),
    login_window: z.number().int().optional().meta({ description: '60 to 86400' }),
    sign_up: z.enum(['off', 'open', 'invitation']).optional(),
    mfa: z.enum(['off', 'optional', 'required']).optional(),
    remember_device: z.boolean().optional(),
    closed_accounts: z.enum(['delete', 'anonymise']).optional(),
    email_code: z.boolean().optional(),
    audit_retention_days: z.number().int().optional().meta({ description: '0 (for ever) to 3650' }),
  })
  .meta({
    id: 'IssuerSettingsPatch',
    description: 'Only the fields given change. Branding (names, links, colours) needs write; lifetimes, the throttle, sign-up and MFA need owner.',
  });

export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

/** API field → validateSettings' name (display_name is the issuer's name, set apart). */
const SETTING_KEYS: Record<Exclude<keyof SettingsPatch, 'display_name'>, string> = {
  logo_url: 'logoUrl',
  brand_color: 'brandColor',
  background_color: 'backgroundColor',
  support_url: 'supportUrl',
  privacy_url: 'privacyUrl',
  mail_from_name: 'mailFromName',
  access_token_ttl: 'accessTokenTtl',
  id_token_ttl: 'idTokenTtl',
  refresh_token_ttl: 'refreshTokenTtl',
  code_ttl: 'codeTtl',
  session_ttl: 'sessionTtl',
  login_max_failures: 'loginMaxFailures',
  login_window: 'loginWindow',
  sign_up: 'signUp',
  mfa: 'mfa',
  remember_device: 'rememberDevice',
  closed_accounts: 'closedAccounts',
  email_code: 'emailCode',
  audit_retention_days: 'auditRetentionDays',
};

/** validateSettings' names (and the issuer's `name`) as this API spells them, for problems. */
export const SETTINGS_FIELDS: FieldNames = {
  name: 'display_name',
  ...Object.fromEntries(Object.entries(SETTING_KEYS).map(([api, key]) => [key, api])),
};

/** What branding is: anyone who may write changes it. The rest is policy, for owners. */
export const BRANDING_FIELDS: readonly (keyof SettingsPatch)[] = [
  'display_name',
  'logo_url',
  'brand_color',
  'background_color',
  'support_url',
  'privacy_url',
  'mail_from_name',
];

/** Whether a patch changes more than branding (and so needs the owner permission). */
export function touchesPolicy(patch: SettingsPatch): boolean {
  return Object.keys(patch).some((k) => !BRANDING_FIELDS.includes(k as keyof SettingsPatch));
}

/** A patch as the issuers service takes it; "" for a link removes it, like null. */
export function settingsChanges(patch: SettingsPatch): Pick<IssuerChanges, 'name' | 'settings'> {
  const settings: Record<string, unknown> = {};
  for (const [field, key] of Object.entries(SETTING_KEYS)) {
    const value = patch[field as keyof SettingsPatch];
    if (value === undefined) continue;
    settings[key] = value === '' && field.endsWith('_url') ? null : value;
  }
  return {
    ...(patch.display_name === undefined ? {} : { name: patch.display_name }),
    ...(Object.keys(settings).length > 0 ? { settings } : {}),
  };
}

export function effectiveSettings(services: Services, issuer: IssuerRecord): IssuerSettings {
  return resolveSettings(defaultSettings(services.config), issuer.name, issuer.settings);
}

export function settingsView(s: IssuerSettings): z.infer<typeof settingsSchema> {
  return {
    display_name: s.brand.name,
    logo_url: s.brand.logoUrl,
    brand_color: s.brand.color,
    background_color: s.brand.background,
    support_url: s.brand.supportUrl,
    privacy_url: s.brand.privacyUrl,
    mail_from_name: s.mailFromName,
    access_token_ttl: s.accessTokenTtl,
    id_token_ttl: s.idTokenTtl,
    refresh_token_ttl: s.refreshTokenTtl,
    code_ttl: s.codeTtl,
    session_ttl: s.sessionTtl,
    login_max_failures: s.login.maxFailures,
    login_window: s.login.windowSeconds,
    sign_up: s.signUp,
    mfa: s.mfa,
    remember_device: s.rememberDevice,
    closed_accounts: s.closedAccounts,
    email_code: s.emailCode,
    audit_retention_days: s.auditRetentionDays,
  };
}
