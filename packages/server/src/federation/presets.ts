import type { ClaimMapping } from '../store/repos/upstream-providers.js';

/** What a preset fills in for `gatehouse idp create --preset NAME` and the Admin API's `preset`. */
export interface Preset {
  kind: 'oidc' | 'oauth2';
  displayName: string;
  issuerUrl?: string;
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
  userinfoEndpoint?: string;
  scopes: readonly string[];
  claimMapping?: Partial<ClaimMapping>;
}

/** The OpenID Connect claims, as most providers name them. */
export const OIDC_CLAIMS: ClaimMapping = { subject: 'sub', email: 'email', emailVerified: 'email_verified', name: 'name', picture: 'picture' };

/**
 * Providers whose settings are known: OpenID Providers found by discovery at their issuer URL,
 * and GitHub (plain OAuth 2.0); docs/federation.md has each one's setup steps.
 */
export const PRESETS: Readonly<Record<string, Preset>> = {
  google: { kind: 'oidc', displayName: 'Google', issuerUrl: 'https://accounts.google.com', scopes: ['openid', 'email', 'profile'] },
  gitlab: { kind: 'oidc', displayName: 'GitLab', issuerUrl: 'https://gitlab.com', scopes: ['openid', 'email', 'profile'] },
  // Multi-tenant: the ID token's issuer names its tenant (tenants.ts). Entra asserts no verified
  // email unless the app asks for the optional claim xms_edov (email domain owner verified).
  microsoft: {
    kind: 'oidc',
    displayName: 'Microsoft',
    issuerUrl: 'https://login.microsoftonline.com/common/v2.0',
    scopes: ['openid', 'email', 'profile'],
    claimMapping: { emailVerified: 'xms_edov' },
  },
  // Sign in with Apple (apple.ts): the answer comes back as a form_post, the client secret is a
  // JWT made per token request, and the name only on the first sign-in, outside the ID token.
  apple: {
    kind: 'oidc',
    displayName: 'Apple',
    issuerUrl: 'https://appleid.apple.com',
    scopes: ['openid', 'email', 'name'],
  },
  // Plain OAuth 2.0: the user from /user, the verified addresses from /user/emails (github.ts).
  github: {
    kind: 'oauth2',
    displayName: 'GitHub',
    authorizationEndpoint: 'https://github.com/login/oauth/authorize',
    tokenEndpoint: 'https://github.com/login/oauth/access_token',
    userinfoEndpoint: 'https://api.github.com/user',
    scopes: ['read:user', 'user:email'],
    claimMapping: { subject: 'id', email: 'email', emailVerified: 'email_verified', name: 'name', picture: 'avatar_url' },
  },
};

export function presetNames(): string[] {
  return Object.keys(PRESETS);
}
