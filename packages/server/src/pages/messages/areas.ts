import type { Message } from './catalog.js';
import type { PageArea } from './area.js';
import { MFA_MESSAGES } from './mfa.js';
import { signupMessages } from './signup.js';
import { accountPagesMessages } from './account-pages.js';
import { PASSKEY_MESSAGES } from './passkeys.js';
import { WEBHOOK_MESSAGES } from './webhooks.js';
import { WALLETS_AREA } from './wallets.js';
import { ABUSE_MESSAGES } from './abuse.js';
import { SCOPES_AREA } from './scopes.js';
import { SCOPE_REVOCATION_AREA } from './scope-revocation.js';
import { FEDERATION_AREA } from './federation.js';
import { ACCOUNTS_MESSAGES } from './accounts.js';

/**
 * Every area of the hosted pages with messages of its own: one line per area file, so a feature
 * adds its messages without touching the core catalogs (en.ts, de.ts, …).
 */
export const PAGE_AREAS = [
  MFA_MESSAGES,
  signupMessages,
  accountPagesMessages,
  PASSKEY_MESSAGES,
  WEBHOOK_MESSAGES,
  WALLETS_AREA,
  ABUSE_MESSAGES,
  SCOPES_AREA,
  SCOPE_REVOCATION_AREA,
  FEDERATION_AREA,
  ACCOUNTS_MESSAGES,
] as const satisfies readonly PageArea<Record<string, Message>>[];
