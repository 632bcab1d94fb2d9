import type { MessageKey } from './messages/all.js';
import type { ApiRegistry } from '../claims/registries.js';
import type { Translator } from './translator.js';

type DescribedScope = Exclude<Extract<MessageKey, `scope.${string}`>, 'scope.other'>;

/** The scopes people are asked about in plain words (each a message); others are named as they are. */
const DESCRIBED: Readonly<Record<string, DescribedScope>> = {
  openid: 'scope.openid',
  profile: 'scope.profile',
  email: 'scope.email',
  organizations: 'scope.organizations',
  wallets: 'scope.wallets',
  offline_access: 'scope.offline_access',
};

/**
 * A scope in the user's words: a built-in one's message; an issuer's own scope's description in
 * the page's language (else its English one); an API scope's description (claims/); else its name.
 */
export function describeScope(t: Translator, scope: string, apis?: ApiRegistry): string {
  const key = Object.hasOwn(DESCRIBED, scope) ? DESCRIBED[scope] : undefined;
  if (key) return t.t(key);
  const custom = apis?.customScope(scope);
  if (custom) return custom.descriptions[t.locale] ?? custom.descriptions.en;
  const described = apis?.apiOf(scope)?.scopes.find((s) => s.name === scope)?.description;
  return described || t.t('scope.other', { scope });
}

/** The name of the API a scope is for, when it is an API's (the consent page says so). */
export function scopeApi(scope: string, apis?: ApiRegistry): string | undefined {
  return apis?.apiOf(scope)?.name;
}

/**
 * Scopes the user cannot untick: without openid there is no sign-in at all; an issuer's own
 * scope configured as not optional.
 */
export function isRequiredScope(scope: string, apis?: ApiRegistry): boolean {
  return scope === 'openid' || apis?.customScope(scope)?.optional === false;
}

const ORDER = Object.keys(DESCRIBED);

/** Sorts scopes as people read them: the described ones in the order above, then the rest by name. */
export function compareScopes(a: string, b: string): number {
  const x = ORDER.indexOf(a);
  const y = ORDER.indexOf(b);
  if (x !== -1 || y !== -1) return (x === -1 ? ORDER.length : x) - (y === -1 ? ORDER.length : y);
  return a < b ? -1 : a > b ? 1 : 0;
}
