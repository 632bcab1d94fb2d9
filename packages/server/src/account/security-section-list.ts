import { FACTOR_SECTIONS } from '../factors/account-security.js';
import { PASSKEYS_SECTION } from '../passkeys/section.js';
import { WALLETS_SECTION } from '../wallets/section.js';
import { LINKED_IDENTITIES_SECTION } from '../federation/account-section.js';
import type { SecuritySection } from './security-sections.js';

/**
 * The sections of /account/security after the password, in this order: each factor module
 * (passkeys, authenticator app, recovery codes, wallets) adds its one line here.
 */
export const SECURITY_SECTIONS: readonly SecuritySection[] = [PASSKEYS_SECTION, ...FACTOR_SECTIONS, WALLETS_SECTION, LINKED_IDENTITIES_SECTION];
