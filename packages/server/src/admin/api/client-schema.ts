import { z } from 'zod';
import { APP_TYPES, type Client, GRANT_TYPES } from '../../store/repos/clients.js';
import type { ClientInput, ClientUpdate } from '../../services/clients.js';
import type { FieldNames } from './problem.js';

/**
 * A client as the Admin API shows and takes it: RFC 7591 metadata names where one exists,
 * plus `type` and Gatehouse's own settings. The secret is in no representation but the answer
 * that creates or rotates it.
 */

const uris = z.array(z.string().max(2000)).max(100);
const link = z.string().max(2000).meta({ description: 'https URL; "" removes it' });

export const clientSchema = z
  .object({
    client_id: z.string(),
    type: z.enum(APP_TYPES),
    client_name: z.string(),
    description: z.string(),
    redirect_uris: z.array(z.string()),
    post_logout_redirect_uris: z.array(z.string()),
    grant_types: z.array(z.enum(GRANT_TYPES)),
    response_types: z.array(z.literal('code')),
    scope: z.string().meta({ description: 'Space-separated scopes the client may ask for' }),
    token_endpoint_auth_method: z
      .enum(['none', 'client_secret_basic'])
      .meta({ description: 'none for public clients; confidential clients may also use client_secret_post' }),
    resources: z.array(z.string()).meta({ description: 'RFC 8707 resource indicators (APIs) the client may ask tokens for' }),
    first_party: z.boolean().meta({ description: 'Your own app: people are not asked for consent' }),
    pkce: z.enum(['required', 'optional']),
    refresh_token_reuse_grace: z.number().int().meta({ description: 'Seconds a rotated refresh token may be presented again' }),
    id_token_signed_response_alg: z.enum(['RS256', 'ES256']),
    id_token_claims: z.boolean().meta({ description: 'Compatibility: profile and email claims in the ID token too' }),
    require_mfa: z.boolean().meta({ description: 'Every sign-in to this app needs a second factor; a user without one sets one up' }),
    logo_uri: z.string().nullable(),
    policy_uri: z.string().nullable(),
    tos_uri: z.string().nullable(),
    backchannel_logout_uri: z
      .string()
      .nullable()
      .meta({ description: 'OpenID Connect Back-Channel Logout 1.0: where logout tokens are POSTed when a session that signed in to the app ends' }),
    backchannel_logout_session_required: z.boolean().meta({ description: 'The app needs sid in its logout tokens (Gatehouse always sends sid and sub)' }),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'Client' });

export const createdClientSchema = clientSchema
  .extend({
    client_secret: z.string().nullable().meta({ description: 'Shown this once; only its hash is kept. null for public clients' }),
    client_id_issued_at: z.number().int(),
    client_secret_expires_at: z.literal(0),
    warnings: z.array(z.string()),
  })
  .meta({ id: 'CreatedClient' });

export const newClientSchema = z
  .strictObject({
    type: z.enum(APP_TYPES).meta({ description: 'web (server-side, with a secret), spa, native (public, PKCE), machine (client_credentials)' }),
    client_name: z.string().max(200),
    description: z.string().max(1000).optional(),
    redirect_uris: uris.optional(),
    post_logout_redirect_uris: uris.optional(),
    grant_types: z.array(z.enum(GRANT_TYPES)).min(1).max(3).optional(),
    scope: z.string().max(2000).optional(),
    token_endpoint_auth_method: z.enum(['none', 'client_secret_basic', 'client_secret_post']).optional(),
    resources: uris.optional(),
    first_party: z.boolean().optional(),
    pkce: z.enum(['required', 'optional']).optional(),
    refresh_token_reuse_grace: z.number().int().min(0).max(300).optional(),
    id_token_signed_response_alg: z.enum(['RS256', 'ES256']).optional(),
    id_token_claims: z.boolean().optional(),
    require_mfa: z.boolean().optional(),
    logo_uri: link.optional(),
    policy_uri: link.optional(),
    tos_uri: link.optional(),
    backchannel_logout_uri: z.string().max(2000).optional().meta({ description: 'https URL without a fragment (http only on a loopback host); "" removes it' }),
    backchannel_logout_session_required: z.boolean().optional(),
  })
  .meta({ id: 'NewClient' });

export const clientPatchSchema = newClientSchema
  .omit({ type: true, token_endpoint_auth_method: true })
  .partial()
  .meta({ id: 'ClientPatch', description: 'Only the fields given change; a list replaces the stored one. type cannot change.' });

export type NewClientBody = z.infer<typeof newClientSchema>;
export type ClientPatchBody = z.infer<typeof clientPatchSchema>;

/** The services' field names as this resource spells them. */
export const CLIENT_FIELDS: FieldNames = {
  appType: 'type',
  name: 'client_name',
  description: 'description',
  redirectUris: 'redirect_uris',
  postLogoutRedirectUris: 'post_logout_redirect_uris',
  grantTypes: 'grant_types',
  scope: 'scope',
  isPublic: 'token_endpoint_auth_method',
  resources: 'resources',
  firstParty: 'first_party',
  pkce: 'pkce',
  refreshReuseGrace: 'refresh_token_reuse_grace',
  idTokenAlg: 'id_token_signed_response_alg',
  idTokenClaims: 'id_token_claims',
  requireMfa: 'require_mfa',
  logoUri: 'logo_uri',
  policyUri: 'policy_uri',
  tosUri: 'tos_uri',
  backchannelLogoutUri: 'backchannel_logout_uri',
  backchannelLogoutSessionRequired: 'backchannel_logout_session_required',
};

/** How messages name the fields (the services take labels for that). */
export const CLIENT_LABELS = CLIENT_FIELDS;

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();

export function clientView(client: Client): z.infer<typeof clientSchema> {
  return {
    client_id: client.id,
    type: client.appType,
    client_name: client.name,
    description: client.description,
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    grant_types: client.grantTypes,
    response_types: client.grantTypes.includes('authorization_code') ? ['code'] : [],
    scope: client.scopes.join(' '),
    token_endpoint_auth_method: client.isPublic ? 'none' : 'client_secret_basic',
    resources: client.resources,
    first_party: client.firstParty,
    pkce: client.pkce,
    refresh_token_reuse_grace: client.refreshReuseGrace,
    id_token_signed_response_alg: client.idTokenAlg,
    id_token_claims: client.idTokenClaims,
    require_mfa: client.requireMfa,
    logo_uri: client.links.logoUri,
    policy_uri: client.links.policyUri,
    tos_uri: client.links.tosUri,
    backchannel_logout_uri: client.backchannelLogoutUri,
    backchannel_logout_session_required: client.backchannelLogoutSessionRequired,
    created_at: iso(client.createdAt),
    updated_at: iso(client.updatedAt),
  };
}

/** A create body as the clients service takes it. */
export function clientInput(body: NewClientBody): ClientInput {
  const method = body.token_endpoint_auth_method;
  return {
    appType: body.type,
    name: body.client_name,
    description: body.description,
    redirectUris: body.redirect_uris,
    postLogoutRedirectUris: body.post_logout_redirect_uris,
    grantTypes: body.grant_types?.join(','),
    scope: body.scope,
    isPublic: method === undefined ? undefined : method === 'none',
    resources: body.resources,
    firstParty: body.first_party,
    pkce: body.pkce,
    refreshReuseGrace: body.refresh_token_reuse_grace,
    idTokenAlg: body.id_token_signed_response_alg,
    idTokenClaims: body.id_token_claims,
    requireMfa: body.require_mfa,
    logoUri: body.logo_uri,
    policyUri: body.policy_uri,
    tosUri: body.tos_uri,
    backchannelLogoutUri: body.backchannel_logout_uri,
    backchannelLogoutSessionRequired: body.backchannel_logout_session_required,
  };
}

/** A patch body as the clients service takes it. */
export function clientUpdate(body: ClientPatchBody): ClientUpdate {
  return {
    name: body.client_name,
    description: body.description,
    redirectUris: body.redirect_uris,
    postLogoutRedirectUris: body.post_logout_redirect_uris,
    grantTypes: body.grant_types?.join(','),
    scope: body.scope,
    resources: body.resources,
    firstParty: body.first_party,
    pkce: body.pkce,
    refreshReuseGrace: body.refresh_token_reuse_grace,
    idTokenAlg: body.id_token_signed_response_alg,
    idTokenClaims: body.id_token_claims,
    requireMfa: body.require_mfa,
    logoUri: body.logo_uri,
    policyUri: body.policy_uri,
    tosUri: body.tos_uri,
    backchannelLogoutUri: body.backchannel_logout_uri,
    backchannelLogoutSessionRequired: body.backchannel_logout_session_required,
  };
}
