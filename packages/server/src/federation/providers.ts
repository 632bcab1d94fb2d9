import type { IssuerScope } from '../issuers/scope.js';
import { checkedText, conflict, invalid, notFound } from '../services/errors.js';
import type { ClaimMapping, DefaultSignIn, UpstreamProvider, UpstreamProviderChange } from '../store/repos/upstream-providers.js';
import { type AppleInput, appleSecretText, checkedAppleCredentials, hasAppleInput, isApple, parseAppleSecret } from './apple.js';
import { OIDC_CLAIMS, PRESETS, presetNames } from './presets.js';
import { upstreamUrlProblem } from './urls.js';

/**
 * Upstream identity providers as the Admin API, the console and the CLI change them: one set of
 * rules whichever is used. The client secret is sealed before it is stored and never returned.
 */

export interface ProviderInput {
  id: string;
  preset?: string | undefined;
  kind?: 'oidc' | 'oauth2' | undefined;
  displayName?: string | undefined;
  issuerUrl?: string | undefined;
  authorizationEndpoint?: string | undefined;
  tokenEndpoint?: string | undefined;
  userinfoEndpoint?: string | undefined;
  clientId: string;
  /** Not for the Apple preset, whose secret is made per request from `apple`. */
  clientSecret?: string | undefined;
  apple?: AppleInput | undefined;
  scopes?: readonly string[] | undefined;
  claimMapping?: ClaimMappingInput | undefined;
  trustedForLinking?: boolean | undefined;
  trustAmr?: boolean | undefined;
  enabled?: boolean | undefined;
  defaultSignIn?: DefaultSignIn | undefined;
}

/** A claim mapping as given: the names given replace the defaults (or the current ones). */
export type ClaimMappingInput = { [K in keyof ClaimMapping]?: ClaimMapping[K] | undefined };

export type ProviderChange = Partial<Omit<ProviderInput, 'id' | 'kind' | 'preset'>>;

/** The text to seal: the client secret, or for Apple its team id, key id and .p8 key (apple.ts). */
async function secretText(preset: string | undefined, input: Pick<ProviderInput, 'clientSecret' | 'apple'>): Promise<string> {
  if (preset === 'apple') {
    if (input.clientSecret !== undefined) throw invalid('clientSecret', 'the Apple preset has no client secret: give its team id, key id and private key');
    return appleSecretText(await checkedAppleCredentials(input.apple ?? {}));
  }
  if (hasAppleInput(input.apple)) throw invalid('appleTeamId', 'the Apple team id, key id and private key are for the apple preset only');
  return checkedSecret(input.clientSecret ?? '');
}

const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]{1,100}$/;
const CLAIM = /^[A-Za-z0-9_:.-]{1,100}$/;

/** The label a provider's sealed client secret is bound to: it cannot be moved to another row. */
export function clientSecretLabel(issuerId: string, providerId: string): string {
  return `upstream-client-secret:${issuerId}:${providerId}`;
}

function checkedUrl(field: string, raw: string | undefined): string | null {
  if (raw === undefined || raw.trim() === '') return null;
  const value = raw.trim();
  if (value.length > 2000) throw invalid(field, `${field} must be at most 2000 characters`);
  const problem = upstreamUrlProblem(value);
  if (problem) throw invalid(field, `${field} ${problem}`);
  return value.replace(/\/$/, field === 'issuerUrl' ? '' : '/').replace(/\/$/, '');
}

function checkedScopes(raw: readonly string[]): string[] {
  const scopes = [...new Set(raw.flatMap((s) => s.split(/[\s,]+/)).filter((s) => s !== ''))];
  for (const s of scopes) if (!SCOPE.test(s)) throw invalid('scopes', `"${s.slice(0, 100)}" is not a scope`);
  if (scopes.length > 30) throw invalid('scopes', 'at most 30 scopes');
  return scopes;
}

function checkedMapping(base: ClaimMapping, raw: ClaimMappingInput | undefined): ClaimMapping {
  const mapping: ClaimMapping = { ...base };
  for (const key of ['subject', 'email', 'emailVerified', 'name', 'picture'] as const) {
    const value = raw?.[key];
    if (value === undefined) continue;
    if (!CLAIM.test(value)) throw invalid('claimMapping', `claimMapping.${key} must be a claim name`);
    mapping[key] = value;
  }
  if (raw?.emailAlwaysVerified !== undefined) mapping.emailAlwaysVerified = raw.emailAlwaysVerified;
  return mapping;
}

function checkedSecret(raw: string): string {
  if (raw === '' || raw.length > 4000) throw invalid('clientSecret', 'the client secret must be 1 to 4000 characters');
  if (/\p{Cc}/u.test(raw)) throw invalid('clientSecret', 'the client secret must not contain control characters');
  return raw;
}

/** The endpoints each kind needs: an OpenID Provider its issuer URL, a plain OAuth 2.0 one its three endpoints. */
function checkKind(p: Pick<UpstreamProvider, 'kind' | 'issuerUrl' | 'authorizationEndpoint' | 'tokenEndpoint' | 'userinfoEndpoint' | 'scopes'>): void {
  if (p.kind === 'oidc') {
    if (!p.issuerUrl) throw invalid('issuerUrl', 'an OpenID Connect provider needs its issuer URL');
    if (!p.scopes.includes('openid')) throw invalid('scopes', 'an OpenID Connect provider needs the openid scope');
    return;
  }
  if (!p.authorizationEndpoint) throw invalid('authorizationEndpoint', 'an OAuth 2.0 provider needs its authorization endpoint');
  if (!p.tokenEndpoint) throw invalid('tokenEndpoint', 'an OAuth 2.0 provider needs its token endpoint');
  if (!p.userinfoEndpoint) throw invalid('userinfoEndpoint', 'an OAuth 2.0 provider needs its userinfo endpoint');
}

function checkedDefault(raw: string | undefined): DefaultSignIn {
  if (raw === undefined || raw === 'off' || raw === 'link' || raw === 'always') return raw ?? 'off';
  throw invalid('defaultSignIn', 'the default sign-in must be off, link or always');
}

export async function createProvider(scope: IssuerScope, input: ProviderInput): Promise<UpstreamProvider> {
  if (!ID.test(input.id)) throw invalid('id', 'the id must be 1 to 63 lower-case letters, digits and dashes, starting with a letter or digit');
  const preset = input.preset === undefined ? undefined : PRESETS[input.preset];
  if (input.preset !== undefined && (!preset || !Object.hasOwn(PRESETS, input.preset))) {
    throw invalid('preset', `unknown preset "${input.preset.slice(0, 50)}" (known: ${presetNames().join(', ')})`);
  }
  const kind = input.kind ?? preset?.kind ?? 'oidc';
  if (preset && input.kind !== undefined && input.kind !== preset.kind) throw invalid('kind', `the ${input.preset} preset is of kind ${preset.kind}`);
  const scopes = checkedScopes(input.scopes ?? preset?.scopes ?? (kind === 'oidc' ? ['openid', 'email', 'profile'] : []));
  const provider = {
    kind,
    issuerUrl: checkedUrl('issuerUrl', input.issuerUrl ?? preset?.issuerUrl),
    authorizationEndpoint: checkedUrl('authorizationEndpoint', input.authorizationEndpoint ?? preset?.authorizationEndpoint),
    tokenEndpoint: checkedUrl('tokenEndpoint', input.tokenEndpoint ?? preset?.tokenEndpoint),
    userinfoEndpoint: checkedUrl('userinfoEndpoint', input.userinfoEndpoint ?? preset?.userinfoEndpoint),
    scopes,
  };
  checkKind(provider);
  const clientId = checkedText('clientId', 'the client id', input.clientId, 500);
  const secret = await secretText(input.preset, input);
  const created = await scope.repos.upstreamProviders.create({
    id: input.id,
    preset: input.preset ?? null,
    displayName: checkedText('displayName', 'the display name', input.displayName ?? preset?.displayName ?? input.id, 200),
    clientId,
    sealedClientSecret: await scope.services.box.seal(secret, clientSecretLabel(scope.id, input.id)),
    claimMapping: checkedMapping({ ...OIDC_CLAIMS, ...preset?.claimMapping }, input.claimMapping),
    trustedForLinking: input.trustedForLinking ?? false,
    trustAmr: input.trustAmr ?? false,
    enabled: input.enabled ?? true,
    defaultSignIn: checkedDefault(input.defaultSignIn),
    ...provider,
  });
  if (!created) throw conflict('id', `there is already a provider ${input.id} at this issuer`);
  return created;
}

export async function existingProvider(scope: IssuerScope, id: string): Promise<UpstreamProvider> {
  const provider = await scope.repos.upstreamProviders.find(id);
  if (!provider) throw notFound('id', `there is no upstream provider ${id.slice(0, 100)} at this issuer`);
  return provider;
}

export async function updateProvider(scope: IssuerScope, id: string, change: ProviderChange): Promise<UpstreamProvider> {
  const current = await existingProvider(scope, id);
  const next: UpstreamProviderChange = {};
  if (change.displayName !== undefined) next.displayName = checkedText('displayName', 'the display name', change.displayName, 200);
  if (change.issuerUrl !== undefined) next.issuerUrl = checkedUrl('issuerUrl', change.issuerUrl);
  if (change.authorizationEndpoint !== undefined) next.authorizationEndpoint = checkedUrl('authorizationEndpoint', change.authorizationEndpoint);
  if (change.tokenEndpoint !== undefined) next.tokenEndpoint = checkedUrl('tokenEndpoint', change.tokenEndpoint);
  if (change.userinfoEndpoint !== undefined) next.userinfoEndpoint = checkedUrl('userinfoEndpoint', change.userinfoEndpoint);
  if (change.scopes !== undefined) next.scopes = checkedScopes(change.scopes);
  if (change.clientId !== undefined) next.clientId = checkedText('clientId', 'the client id', change.clientId, 500);
  if (isApple(current) && (change.clientSecret !== undefined || hasAppleInput(change.apple))) {
    if (change.clientSecret !== undefined) throw invalid('clientSecret', 'the Apple preset has no client secret: give its team id, key id and private key');
    // Only the fields given change: the others come from what is sealed now.
    const sealed = parseAppleSecret(await openClientSecret(scope, current));
    const credentials = await checkedAppleCredentials(change.apple ?? {}, sealed);
    next.sealedClientSecret = await scope.services.box.seal(appleSecretText(credentials), clientSecretLabel(scope.id, id));
  } else if (hasAppleInput(change.apple)) {
    throw invalid('appleTeamId', 'the Apple team id, key id and private key are for the apple preset only');
  } else if (change.clientSecret !== undefined) {
    next.sealedClientSecret = await scope.services.box.seal(checkedSecret(change.clientSecret), clientSecretLabel(scope.id, id));
  }
  if (change.claimMapping !== undefined) next.claimMapping = checkedMapping(current.claimMapping, change.claimMapping);
  if (change.trustedForLinking !== undefined) next.trustedForLinking = change.trustedForLinking;
  if (change.trustAmr !== undefined) next.trustAmr = change.trustAmr;
  if (change.enabled !== undefined) next.enabled = change.enabled;
  if (change.defaultSignIn !== undefined) next.defaultSignIn = checkedDefault(change.defaultSignIn);
  checkKind({ ...current, ...next });
  const updated = await scope.repos.upstreamProviders.update(id, next);
  if (!updated) throw notFound('id', `there is no upstream provider ${id.slice(0, 100)} at this issuer`);
  return updated;
}

export async function deleteProvider(scope: IssuerScope, id: string): Promise<void> {
  if (!(await scope.repos.upstreamProviders.delete(id))) throw notFound('id', `there is no upstream provider ${id.slice(0, 100)} at this issuer`);
}

/** The provider's client secret, opened; only the token request uses it. */
export function openClientSecret(scope: IssuerScope, provider: UpstreamProvider): Promise<string> {
  return scope.services.box.open(provider.sealedClientSecret, clientSecretLabel(scope.id, provider.id));
}
