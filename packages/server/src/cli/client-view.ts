import type { Client } from '../store/repos/clients.js';
import { isoTime } from './common.js';

/** The public view of a client: everything but the secret hash (names as in RFC 7591 metadata). */
export interface ClientView {
  client_id: string;
  name: string;
  description: string;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  grant_types: string[];
  scope: string;
  public: boolean;
  first_party: boolean;
  id_token_signed_response_alg: string;
  resources: string[];
  pkce: string;
  refresh_reuse_grace: number;
  id_token_claims: boolean;
  logo_uri: string | null;
  policy_uri: string | null;
  tos_uri: string | null;
  backchannel_logout_uri: string | null;
  backchannel_logout_session_required: boolean;
  created_at: string;
}

export function describeClient(client: Client): ClientView {
  return {
    client_id: client.id,
    name: client.name,
    description: client.description,
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    grant_types: client.grantTypes,
    scope: client.scopes.join(' '),
    public: client.isPublic,
    first_party: client.firstParty,
    id_token_signed_response_alg: client.idTokenAlg,
    resources: client.resources,
    pkce: client.pkce,
    refresh_reuse_grace: client.refreshReuseGrace,
    id_token_claims: client.idTokenClaims,
    logo_uri: client.links.logoUri,
    policy_uri: client.links.policyUri,
    tos_uri: client.links.tosUri,
    backchannel_logout_uri: client.backchannelLogoutUri,
    backchannel_logout_session_required: client.backchannelLogoutSessionRequired,
    created_at: isoTime(client.createdAt),
  };
}
