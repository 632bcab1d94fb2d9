import { adminAudience } from '../admin/audience.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { Client } from '../store/repos/clients.js';
import { sha256 } from '../tokens/random.js';

/**
 * The console signs operators in through Gatehouse itself, as an app would: with a first-party
 * public client (PKCE, no secret) of each issuer, made on first use. Its id is derived from the
 * issuer's, so every instance finds the same one without coordination.
 */
/** Every console client's id starts with it. */
export const CONSOLE_CLIENT_PREFIX = 'gh_console_';
const PREFIX = CONSOLE_CLIENT_PREFIX;

export function consoleClientId(scope: Pick<IssuerScope, 'id'>): string {
  return `${PREFIX}${sha256(`console:${scope.id}`).slice(0, 22)}`;
}

/** Whether `id` is a console client: the API and CLI leave those to Gatehouse. */
export function isConsoleClient(id: string): boolean {
  return id.startsWith(PREFIX);
}

export function consoleRedirectUri(scope: IssuerScope): string {
  return scope.href('/admin/callback');
}

/**
 * The issuer's console client, made or brought up to date: its redirect URI follows the URL the
 * issuer is reached at (a custom domain adds its own), and it may ask for the Admin API.
 */
export async function ensureConsoleClient(scope: IssuerScope): Promise<Client> {
  const id = consoleClientId(scope);
  const redirect = consoleRedirectUri(scope);
  const existing = await scope.repos.clients.find(id);
  if (existing) {
    const resource = adminAudience(scope);
    if (existing.redirectUris.includes(redirect) && existing.resources.includes(resource)) return existing;
    await scope.repos.clients.update(id, {
      redirectUris: [...new Set([...existing.redirectUris, redirect])],
      resources: [...new Set([...existing.resources, resource])],
    });
    return (await scope.repos.clients.find(id)) ?? existing;
  }
  try {
    const { client } = await scope.repos.clients.create({
      id,
      appType: 'spa',
      name: 'Gatehouse console',
      description: 'The admin console of this issuer (managed by Gatehouse)',
      redirectUris: [redirect],
      postLogoutRedirectUris: [],
      grantTypes: ['authorization_code', 'refresh_token'],
      scopes: ['openid', 'profile', 'email'],
      resources: [adminAudience(scope)],
      isPublic: true,
      firstParty: true,
      // Two console tabs refreshing at once must not read as a stolen refresh token.
      refreshReuseGrace: 60,
    });
    return client;
  } catch (error) {
    // Another instance made it at the same moment.
    const raced = await scope.repos.clients.find(id);
    if (raced) return raced;
    throw error;
  }
}
