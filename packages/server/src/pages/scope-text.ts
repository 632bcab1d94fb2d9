/** Plain words for the scopes people are asked about; other scopes are named as they are. */
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  openid: 'Sign you in with your account',
  profile: 'See your name, username and profile picture',
  email: 'See your email address',
  organizations: 'See which organizations you belong to and your roles and permissions in them',
  offline_access: 'Stay connected when you are not using it',
};

export function describeScope(scope: string): string {
  return DESCRIPTIONS[scope] ?? `Use the “${scope}” permission on your behalf`;
}

/** Scopes the user cannot untick: without openid there is no sign-in at all. */
export function isRequiredScope(scope: string): boolean {
  return scope === 'openid';
}

const ORDER = Object.keys(DESCRIPTIONS);

/** Sorts scopes as people read them: the described ones in the order above, then the rest by name. */
export function compareScopes(a: string, b: string): number {
  const x = ORDER.indexOf(a);
  const y = ORDER.indexOf(b);
  if (x !== -1 || y !== -1) return (x === -1 ? ORDER.length : x) - (y === -1 ? ORDER.length : y);
  return a < b ? -1 : a > b ? 1 : 0;
}
