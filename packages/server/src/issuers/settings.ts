import type { Config } from '../config.js';

export type SignUpPolicy = 'off' | 'open' | 'invitation';
export type MfaPolicy = 'off' | 'optional' | 'required';
/** What closing an account does to the user's row (account/close.ts). */
export type ClosedAccountPolicy = 'delete' | 'anonymise';

/** How an issuer's hosted pages look. */
export interface Brand {
  name: string;
  color: string;
  background: string;
  logoUrl: string | null;
  supportUrl: string | null;
  privacyUrl: string | null;
}

/**
 * Everything that may differ between issuers. The environment gives the defaults (those of the
 * default issuer); each issuer's row stores only what it sets otherwise (docs/issuers.md).
 */
export interface IssuerSettings {
  brand: Brand;
  accessTokenTtl: number;
  idTokenTtl: number;
  refreshTokenTtl: number;
  codeTtl: number;
  sessionTtl: number;
  login: { maxFailures: number; windowSeconds: number };
  signUp: SignUpPolicy;
  mfa: MfaPolicy;
  /** The second-factor step offers "remember this device for 30 days" (factors/remember-device.ts). */
  rememberDevice: boolean;
  /** "Email me a code" on the sign-in page: a 6-digit code mailed to the account's address (abuse/email-code.ts). Needs mail. */
  emailCode: boolean;
  /** The display name mail is sent under; the address is the process's (GATEHOUSE_MAIL_FROM). */
  mailFromName: string;
  /**
   * When a user closes their account: `delete` removes the row with everything on it;
   * `anonymise` keeps it for the audit log with the address, name and password gone.
   */
  closedAccounts: ClosedAccountPolicy;
  /** Days the audit log (the events) is kept; 0 keeps it for ever (maintenance.ts, docs/audit.md). */
  auditRetentionDays: number;
}

/** What an issuer row may override: every field optional, brand fields one by one. */
export type StoredSettings = Partial<Omit<IssuerSettings, 'brand' | 'login'>> & {
  brand?: Partial<Omit<Brand, 'name'>>;
  login?: Partial<IssuerSettings['login']>;
};

export class SettingsError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'SettingsError';
  }
}

/** How long an issuer keeps its audit log unless it sets otherwise: a year. */
export const DEFAULT_AUDIT_RETENTION_DAYS = 365;

/** The defaults every issuer starts from, from the environment. */
export function defaultSettings(config: Config): IssuerSettings {
  return {
    brand: { ...config.brand, logoUrl: null, supportUrl: null, privacyUrl: null },
    accessTokenTtl: config.accessTokenTtl,
    idTokenTtl: config.idTokenTtl,
    refreshTokenTtl: config.refreshTokenTtl,
    codeTtl: config.codeTtl,
    sessionTtl: config.sessionTtl,
    login: { ...config.login },
    signUp: 'off',
    mfa: 'off',
    rememberDevice: false,
    emailCode: false,
    mailFromName: config.mail?.from.name ?? '',
    closedAccounts: 'delete',
    auditRetentionDays: DEFAULT_AUDIT_RETENTION_DAYS,
  };
}

/** An issuer's effective settings: its stored overrides over the defaults; `name` is the issuer's own. */
export function resolveSettings(defaults: IssuerSettings, name: string, stored: StoredSettings): IssuerSettings {
  const brandName = name || defaults.brand.name;
  return {
    ...defaults,
    ...withoutUndefined({ ...stored, brand: undefined, login: undefined }),
    brand: { ...defaults.brand, ...withoutUndefined(stored.brand ?? {}), name: brandName },
    login: { ...defaults.login, ...withoutUndefined(stored.login ?? {}) },
    mailFromName: stored.mailFromName ?? (name || defaults.mailFromName),
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const COLOR = /^#[0-9a-fA-F]{6}$/;

/** WCAG 2.x relative luminance of an sRGB colour like #1f4fd1. */
function luminance(hex: string): number {
  const channel = (i: number): number => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** WCAG contrast ratio of two colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

// AA for normal text; the brand colour is the text of links and secondary buttons on white
// cards, and the background of primary buttons under white text.
const AA = 4.5;

function checkUrl(field: string, value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || value.length > 2048) throw new SettingsError(field, 'must be an https URL');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SettingsError(field, 'must be an absolute https URL');
  }
  if (url.protocol !== 'https:' || url.username || url.password) throw new SettingsError(field, 'must be an https URL without credentials');
  return url.href;
}

function checkInt(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new SettingsError(field, `must be a whole number between ${min} and ${max}`);
  }
  return value;
}

function checkText(field: string, value: unknown, max: number): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > max || /\p{Cc}/u.test(value)) {
    throw new SettingsError(field, `must be text of 1 to ${max} characters without control characters`);
  }
  return value.trim();
}

function checkOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) throw new SettingsError(field, `must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** The display name of an issuer, checked. */
export function checkIssuerName(value: unknown): string {
  return checkText('name', value, 60);
}

/**
 * Validates overrides to store (from the CLI or, later, the Admin API): unknown fields, wrong
 * types and a brand colour without AA contrast against white text and the page background are
 * refused with the field named. Returns them merged over `current`.
 */
export function validateSettings(input: Record<string, unknown>, current: StoredSettings, defaults: IssuerSettings): StoredSettings {
  const out: StoredSettings = structuredClone(current);
  for (const [key, value] of Object.entries(input)) {
    switch (key) {
      case 'brandColor':
      case 'backgroundColor': {
        if (typeof value !== 'string' || !COLOR.test(value)) throw new SettingsError(key, 'must be a colour like #1f4fd1');
        out.brand = { ...out.brand, [key === 'brandColor' ? 'color' : 'background']: value.toLowerCase() };
        break;
      }
      case 'logoUrl':
      case 'supportUrl':
      case 'privacyUrl':
        out.brand = { ...out.brand, [key]: checkUrl(key, value) };
        break;
      case 'accessTokenTtl':
      case 'idTokenTtl':
        out[key] = checkInt(key, value, 60, 86_400);
        break;
      case 'refreshTokenTtl':
        out[key] = checkInt(key, value, 300, 365 * 86_400);
        break;
      case 'codeTtl':
        out[key] = checkInt(key, value, 10, 600);
        break;
      case 'sessionTtl':
        out[key] = checkInt(key, value, 300, 365 * 86_400);
        break;
      case 'loginMaxFailures':
        out.login = { ...out.login, maxFailures: checkInt(key, value, 1, 1000) };
        break;
      case 'loginWindow':
        out.login = { ...out.login, windowSeconds: checkInt(key, value, 60, 86_400) };
        break;
      case 'signUp':
        out.signUp = checkOneOf(key, value, ['off', 'open', 'invitation'] as const);
        break;
      case 'mfa':
        out.mfa = checkOneOf(key, value, ['off', 'optional', 'required'] as const);
        break;
      case 'rememberDevice':
        if (typeof value !== 'boolean') throw new SettingsError(key, 'must be true or false');
        out.rememberDevice = value;
        break;
      case 'closedAccounts':
        out.closedAccounts = checkOneOf(key, value, ['delete', 'anonymise'] as const);
        break;
      case 'emailCode':
        if (typeof value !== 'boolean') throw new SettingsError(key, 'must be true or false');
        out.emailCode = value;
        break;
      case 'mailFromName':
        out.mailFromName = checkText(key, value, 60);
        break;
      case 'auditRetentionDays':
        out.auditRetentionDays = checkInt(key, value, 0, 3650);
        break;
      default:
        throw new SettingsError(key, 'is not an issuer setting');
    }
  }
  const color = out.brand?.color ?? defaults.brand.color;
  const background = out.brand?.background ?? defaults.brand.background;
  if (contrastRatio(color, '#ffffff') < AA) {
    throw new SettingsError('brandColor', `${color} has a contrast of ${contrastRatio(color, '#ffffff').toFixed(2)}:1 with white; WCAG AA needs 4.5:1`);
  }
  if (contrastRatio(color, background) < 3) {
    throw new SettingsError(
      'brandColor',
      `${color} has a contrast of ${contrastRatio(color, background).toFixed(2)}:1 with the page background ${background}; at least 3:1 is needed`,
    );
  }
  return out;
}
