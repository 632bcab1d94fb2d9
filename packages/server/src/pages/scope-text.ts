/** Plain words for the scopes people are asked about; other scopes are named as they are. */
const DESCRIPTIONS: Readonly<Record<string, string>> = {
  openid: 'Sign you in with your account',
  profile: 'See your name, username and profile picture',
  email: 'See your email address',
  offline_access: 'Stay connected when you are not using it',
};

export function describeScope(scope: string): string {
  return DESCRIPTIONS[scope] ?? `Use the “${scope}” permission on your behalf`;
}

/** Scopes the user cannot untick: without openid there is no sign-in at all. */
export function isRequiredScope(scope: string): boolean {
  return scope === 'openid';
}
