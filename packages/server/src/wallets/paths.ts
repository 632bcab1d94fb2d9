/** The wallet section's own routes, under the account security page; fixed, so no redirect is built from a request. */
export const WALLETS_PATH = '/account/security/wallets';
export const WALLETS_START_PATH = '/account/security/wallets/start';
export const WALLETS_LINK_PATH = '/account/security/wallets/link';
export const WALLETS_UNLINK_PATH = '/account/security/wallets/unlink';
/** The re-authentication step another part of the account pages serves (a fresh sign-in within five minutes). */
export const REAUTH_PATH = '/account/reauth';
/** The one script of the wallet forms (EIP-1193 requests), a same-origin file as the CSP wants. */
export const WALLET_SCRIPT_PATH = '/assets/wallet.js';
