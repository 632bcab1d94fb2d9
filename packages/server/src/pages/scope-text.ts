import type { MessageKey } from './messages/all.js';
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

export function describeScope(t: Translator, scope: string): string {
  const key = Object.hasOwn(DESCRIBED, scope) ? DESCRIBED[scope] : undefined;
  return key ? t.t(key) : t.t('scope.other', { scope });
}

/** Scopes the user cannot untick: without openid there is no sign-in at all. */
export function isRequiredScope(scope: string): boolean {
  return scope === 'openid';
}

const ORDER = Object.keys(DESCRIBED);

/** Sorts scopes as people read them: the described ones in the order above, then the rest by name. */
export function compareScopes(a: string, b: string): number {
  const x = ORDER.indexOf(a);
  const y = ORDER.indexOf(b);
  if (x !== -1 || y !== -1) return (x === -1 ? ORDER.length : x) - (y === -1 ? ORDER.length : y);
  return a < b ? -1 : a > b ? 1 : 0;
}
