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
 * Providers whose settings are known. Each is a plain OpenID Provider found by discovery at
 * its issuer URL; docs/federation.md has each one's setup steps.
 */
export const PRESETS: Readonly<Record<string, Preset>> = {
  google: { kind: 'oidc', displayName: 'Google', issuerUrl: 'https://accounts.google.com', scopes: ['openid', 'email', 'profile'] },
  gitlab: { kind: 'oidc', displayName: 'GitLab', issuerUrl: 'https://gitlab.com', scopes: ['openid', 'email', 'profile'] },
};

export function presetNames(): string[] {
  return Object.keys(PRESETS);
}
