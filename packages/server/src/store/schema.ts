import type { Generated } from 'kysely';
/**
 * Table types for Kysely. Times are Unix seconds; flags are 0/1 integers and lists are JSON text,
 * so the same rows work on SQLite and PostgreSQL.
 */
export interface ClientTable {
  /** The issuer the row belongs to (issuers/scope.ts); every query names it. */
  issuer_id: string;
  id: string;
  secret_hash: string | null;
  name: string;
  description: string;
  redirect_uris: string;
  post_logout_redirect_uris: string;
  grant_types: string;
  scopes: string;
  resources: string;
  is_public: number;
  first_party: number;
  id_token_alg: string;
  /** 'required' or 'optional' (confidential clients only): see services/clients.ts. */
  pkce: string;
  /** Seconds a just-rotated refresh token may be presented again; 0 for never. */
  refresh_reuse_grace: number;
  /** 1: ID tokens carry the profile and email claims even with an access token (tokens/claim-sources.ts). */
  id_token_claims: number;
  /** RFC 7591 metadata shown on the consent page; null when not registered. */
  logo_uri: string | null;
  policy_uri: string | null;
  tos_uri: string | null;
  /** web | spa | native | machine; null for clients registered before migration 020. */
  app_type: string | null;
  created_at: number;
  updated_at: number;
  /** Bumped by every change the Admin API can see: its ETag (migration 020). */
  revision: Generated<number>;
  /** The secret before the last rotation, accepted until previous_secret_expires_at (migration 021). */
  previous_secret_hash?: string | null;
  previous_secret_expires_at?: number | null;
  /** 1: every sign-in to this app needs a second factor (migration 025, signin/mfa-policy.ts). */
  require_mfa: Generated<number>;
  /** OpenID Connect Back-Channel Logout 1.0: where logout tokens go (null: none), and whether they must carry sid (migration 033). */
  backchannel_logout_uri?: string | null;
  backchannel_logout_session_required?: Generated<number>;
}

export interface UserTable {
  /** The issuer the row belongs to (issuers/scope.ts); every query names it. */
  issuer_id: string;
  id: string;
  email: string;
  email_verified: number;
  password_hash: string | null;
  name: string | null;
  given_name: string | null;
  family_name: string | null;
  preferred_username: string | null;
  picture: string | null;
  disabled: number;
  created_at: number;
  updated_at: number;
  /** Bumped by every change the Admin API can see: its ETag (migration 020). */
  revision: Generated<number>;
}

export interface SigningKeyTable {
  /** The issuer the row belongs to (issuers/scope.ts); every query names it. */
  issuer_id: string;
  kid: string;
  alg: string;
  public_jwk: string;
  /** Private JWK as compact JWE (dir + A256GCM) under a key derived from GATEHOUSE_SECRET. */
  private_jwk: string;
  created_at: number;
  /** Published from created_at; signs only from activates_at, so every instance sees it first. */
  activates_at: number;
  retires_at: number | null;
  /** Left out of the JWKS after this time, when nothing it signed is still valid. */
  expires_at: number | null;
}

export interface SessionTable {
  /** The issuer the row belongs to (issuers/scope.ts); every query names it. */
  issuer_id: string;
  /** SHA-256 of the cookie secret. */
  id: string;
  /** Public session id, the `sid` claim. */
  sid: string;
  user_id: string;
  auth_time: number;
  /** How the user proved who they are (RFC 8176 values, space-separated), and the level that makes. */
  amr: string;
  acr: string;
  created_at: number;
  expires_at: number;
  ended_at: number | null;
  /** The browser the session was started from, as its User-Agent said (the sessions page shows it); null before migration 029. */
  user_agent: string | null;
  /** The address the session was started from. */
  ip: string | null;
  /** When the session was last used, to within a few minutes (http/session.ts); null: not since it started. */
  last_seen_at: number | null;
}

/** Why a user closed their account (account/close.ts), kept for the operator. */
export interface AccountClosureTable {
  issuer_id: string;
  id: string;
  /** The user's id: the row outlives a deleted user, as events do. */
  user_id: string;
  /** One of the page's choices (account/close.ts CLOSE_REASONS). */
  reason: string;
  /** What the user wrote, if anything. */
  details: string | null;
  /** 'deleted' or 'anonymised', by the issuer's closedAccounts setting at the time. */
  outcome: string;
  closed_at: number;
}

export interface InteractionTable {
  /** The issuer the row belongs to (issuers/scope.ts); every query names it. */
  issuer_id: string;
  id: string;
  /** SHA-256 of the cookie that binds the interaction to the browser that started it. */
  browser_hash: string;
  csrf_token: string;
  /** The validated authorization request, JSON. */
  params: string;
  /** The step the interaction waits on (signin/steps.ts), and why (signin/policy.ts). */
  prompt: string;
  reason: string | null;
  user_id: string | null;
  session_id: string | null;
  created_at: number;
  expires_at: number;
  completed_at: number | null;
}

export interface AuthorizationCodeTable {
  /** The issuer the row belongs to (issuers/scope.ts); every query names it. */
  issuer_id: string;
  /** SHA-256 of the code. */
  id: string;
  client_id: string;
  user_id: string;
  redirect_uri: string;
  code_challenge: string;
  scope: string;
  nonce: string | null;
  sid: string | null;
  auth_time: number;
  /** The session's amr and acr when the code was issued (null: from before they were kept). */
  amr: string | null;
  acr: string | null;
  resource: string | null;
  /** Claim names the request's `claims` parameter asked for in the ID token, JSON (null: none). */
  id_token_claims: string | null;
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
  /** The grant created by the exchange; revoked if the code is replayed. */
  grant_id: string | null;
}

export interface GrantTable {
  /** The issuer the row belongs to (issuers/scope.ts); every query names it. */
  issuer_id: string;
  id: string;
  client_id: string;
  user_id: string | null;
  scope: string;
  sid: string | null;
  auth_time: number | null;
  amr: string | null;
  acr: string | null;
  resource: string | null;
  created_at: number;
  /** Absolute end of the refresh chain. */
  expires_at: number;
  revoked_at: number | null;
}

/** One row per refresh-token chain (see repos/refresh-token-rows.ts). */
export interface RefreshTokenTable {
  /** The issuer the row belongs to (issuers/scope.ts); every query names it. */
  issuer_id: string;
  /** The chain's id: random, or for a token issued before chains the SHA-256 of that token. */
  id: string;
  grant_id: string;
  client_id: string;
  /**
   * SHA-256 of the chain's live secret; every earlier secret of the chain is spent. NULL for a
   * token issued before chains (or by an instance of that version): its hash is its id.
   */
  secret_hash: string | null;
  /**
   * SHA-256 of the secret the last rotation replaced, for the client's reuse grace
   * (refresh-rotation.ts); NULL before the chain's first rotation.
   */
  previous_secret_hash: string | null;
  /** When the live secret was issued (the chain's last rotation). */
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
}

export interface AccessTokenRevocationTable {
  /** The issuer the row belongs to (issuers/scope.ts); every query names it. */
  issuer_id: string;
  jti: string;
  /** The revoked token's own expiry: the row may go after it. */
  expires_at: number;
  revoked_at: number;
}

export interface ConsentTable {
  /** The issuer the row belongs to (issuers/scope.ts); every query names it. */
  issuer_id: string;
  user_id: string;
  client_id: string;
  scope: string;
  created_at: number;
  updated_at: number;
}

export interface RateLimitTable {
  key: string;
  window_start: number;
  count: number;
}

/** An address an account has signed in from, as a keyed hash (auth/throttle.ts). */
export interface KnownLoginAddressTable {
  /** The issuer the row belongs to (issuers/scope.ts); every query names it. */
  issuer_id: string;
  user_id: string;
  address: string;
  created_at: number;
}

/** The id of a deleted organization, which no organization may take again. */
export interface RetiredOrganizationIdTable {
  /** The issuer the row belongs to (issuers/scope.ts); every query names it. */
  issuer_id: string;
  id: string;
  retired_at: number;
}

export interface OrganizationTable {
  /** The issuer the row belongs to (issuers/scope.ts); every query names it. */
  issuer_id: string;
  /** `org_…` when generated, or a slug the operator chose (organizations/names.ts). */
  id: string;
  name: string;
  /** A suspended organization is left out of the `organizations` claim; nothing is deleted. */
  suspended: number;
  created_at: number;
  updated_at: number;
  /** Bumped by every change the Admin API can see: its ETag (migration 020). */
  revision: Generated<number>;
  /** The second-factor policy for members: off, optional or required (migration 025). */
  mfa: Generated<string>;
}

export interface OrganizationRoleTable {
  /** The issuer the row belongs to (issuers/scope.ts); every query names it. */
  issuer_id: string;
  organization_id: string;
  name: string;
  /** `<action>:<resource>` strings, JSON. */
  permissions: string;
  created_at: number;
  updated_at: number;
}

export interface OrganizationMemberTable {
  /** The issuer the row belongs to (issuers/scope.ts); every query names it. */
  issuer_id: string;
  organization_id: string;
  user_id: string;
  created_at: number;
  updated_at: number;
}

/** One role of one member: the role must exist in the member's organization. */
export interface OrganizationMemberRoleTable {
  /** The issuer the row belongs to (issuers/scope.ts); every query names it. */
  issuer_id: string;
  organization_id: string;
  user_id: string;
  role: string;
}

/** A password-reset link that was mailed (repos/password-resets.ts). */
export interface PasswordResetTable {
  /** The issuer the row belongs to (issuers/scope.ts); every query names it. */
  issuer_id: string;
  /** SHA-256 of the token in the link. */
  id: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  /** Set when the link, or another link of the same user, was used. */
  used_at: number | null;
}

/**
 * An event a consumer still has to act on (events/delivery.ts): one row per event and consumer,
 * written in the event's transaction; it goes once the consumer is done, or stays as a dead letter.
 */
export interface EventDeliveryTable {
  event_id: string;
  /** `mail` (mail/outbox.ts); `webhook:<id>` next. */
  consumer: string;
  /** The event's issuer (issuers/scope.ts). */
  issuer_id: string;
  created_at: number;
  /** Not tried again before this time (retries back off). */
  not_before: number;
  /** Until this time an instance is delivering it and no other takes it; 0 when nobody is. */
  lease_until: number;
  attempts: number;
  /** When the consumer gave up; null while it is still to deliver. */
  dead_at: number | null;
  /** Why the last attempt failed (no secrets: the consumer's own words, shortened). */
  last_error: string | null;
}

/** One issuer (tenant): its settings as JSON (issuers/settings.ts); a deleted one stays as a tombstone. */
export interface IssuerTable {
  id: string;
  name: string;
  settings: string;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
  /** Bumped by every change the Admin API can see: its ETag (migration 020). */
  revision: Generated<number>;
}

/** A host name that resolves to an issuer (issuers/resolve.ts). */
export interface IssuerDomainTable {
  domain: string;
  issuer_id: string;
  created_at: number;
}

/** One recorded domain change (events/catalog.ts); the audit log. */
export interface EventTable {
  id: string;
  issuer_id: string;
  type: string;
  occurred_at: number;
  actor: string | null;
  user_id: string | null;
  client_id: string | null;
  /** JSON, never a secret or a token. */
  payload: string;
  /** The IP address of the request that made the change, when one did (migration 020). */
  address: string | null;
}

/** Who may manage an issuer through the Admin API and the console (admin/api/roles.ts). */
export interface AdminRoleTable {
  issuer_id: string;
  user_id: string;
  role: string;
  created_at: number;
  updated_at: number;
}

/** A create's response kept for a retry with the same Idempotency-Key (admin/api/idempotency.ts). */
export interface IdempotencyKeyTable {
  issuer_id: string;
  principal: string;
  key: string;
  fingerprint: string;
  status: number;
  response: string;
  created_at: number;
}

/** A one-time link to make an issuer's first owner in the console (console/setup.ts). */
/** A user's authenticator app (factors/totp-store.ts, migration 025). */
export interface TotpFactorTable {
  issuer_id: string;
  user_id: string;
  /** The RFC 6238 secret, sealed with services.box under a label naming the issuer and user. */
  secret_sealed: string;
  /** The last time step accepted: a code of this step or an earlier one is refused. */
  last_step: number | null;
  /** Null while the enrolment waits for its first code. */
  confirmed_at: number | null;
  created_at: number;
}

/** One single-use recovery code, as its SHA-256 (factors/recovery-store.ts, migration 025). */
export interface RecoveryCodeTable {
  issuer_id: string;
  user_id: string;
  code_hash: string;
  used_at: number | null;
  created_at: number;
}

export interface ConsoleSetupLinkTable {
  issuer_id: string;
  token_hash: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** An address waiting to be proven by a mailed code or link (signup/, migration 026). */
export interface EmailVerificationTable {
  issuer_id: string;
  id: string;
  purpose: string;
  email: string;
  name: string | null;
  password_hash: string | null;
  user_id: string | null;
  interaction_id: string | null;
  locale: string;
  code_hash: string | null;
  token_hash: string | null;
  attempts: number;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface WebhookEndpointTable {
  id: string;
  issuer_id: string;
  url: string;
  /** The filter, normalised (`grant.revoked,user.*`); webhook_endpoint_events holds its patterns. */
  events: string;
  description: string;
  enabled: number;
  disabled_reason: string | null;
  /** Sealed (services.box). */
  secret: string;
  previous_secret: string | null;
  previous_expires_at: number | null;
  created_at: number;
  updated_at: number;
  failing_since: number | null;
}

export interface WebhookEndpointEventTable {
  endpoint_id: string;
  issuer_id: string;
  /** An event type, or the start of one (`user.` for `user.*`, '' for `*`) when `prefix` is 1. */
  pattern: string;
  prefix: number;
}

export interface WebhookAttemptTable {
  id: string;
  issuer_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  attempt: number;
  status: number | null;
  latency_ms: number;
  response: string | null;
  error: string | null;
  at: number;
}

/** An Ethereum wallet linked to a user by a signed EIP-4361 message (wallets/). */
export interface WalletTable {
  id: string;
  issuer_id: string;
  user_id: string;
  /** EIP-55 checksummed; unique per issuer. */
  address: string;
  chain_id: number;
  label: string | null;
  linked_at: number;
  last_used_at: number | null;
}

/** A single-use nonce of a wallet link (bound to a session) or a wallet second factor (bound to an interaction). */
export interface WalletChallengeTable {
  issuer_id: string;
  nonce: string;
  purpose: 'link' | 'sign_in';
  binding: string;
  user_id: string;
  address: string | null;
  chain_id: number;
  issued_at: number;
  expires_at: number;
  used_at: number | null;
}

/** A proof-of-work solution already used (abuse/proof-of-work.ts), kept until its salt expires. */
export interface ProofOfWorkSpentTable {
  issuer_id: string;
  /** The challenge (SHA-256 hex of salt and number): unique per salt. */
  challenge: string;
  expires_at: number;
}

/** A sign-in code mailed for an interaction (abuse/email-code.ts); only its keyed hash. */
export interface EmailCodeTable {
  issuer_id: string;
  interaction_id: string;
  user_id: string;
  code_hash: string;
  created_at: number;
  expires_at: number;
}

export interface Database {
  issuers: IssuerTable;
  issuer_domains: IssuerDomainTable;
  clients: ClientTable;
  users: UserTable;
  signing_keys: SigningKeyTable;
  sessions: SessionTable;
  account_closures: AccountClosureTable;
  interactions: InteractionTable;
  authorization_codes: AuthorizationCodeTable;
  grants: GrantTable;
  refresh_tokens: RefreshTokenTable;
  access_token_revocations: AccessTokenRevocationTable;
  consents: ConsentTable;
  rate_limits: RateLimitTable;
  known_login_addresses: KnownLoginAddressTable;
  organizations: OrganizationTable;
  retired_organization_ids: RetiredOrganizationIdTable;
  organization_roles: OrganizationRoleTable;
  organization_members: OrganizationMemberTable;
  organization_member_roles: OrganizationMemberRoleTable;
  password_resets: PasswordResetTable;
  event_deliveries: EventDeliveryTable;
  events: EventTable;
  admin_roles: AdminRoleTable;
  idempotency_keys: IdempotencyKeyTable;
  console_setup_links: ConsoleSetupLinkTable;
  totp_factors: TotpFactorTable;
  recovery_codes: RecoveryCodeTable;
  email_verifications: EmailVerificationTable;
  passkeys: PasskeyTable;
  passkey_challenges: PasskeyChallengeTable;
  webhook_endpoints: WebhookEndpointTable;
  webhook_endpoint_events: WebhookEndpointEventTable;
  webhook_attempts: WebhookAttemptTable;
  wallets: WalletTable;
  wallet_challenges: WalletChallengeTable;
  proof_of_work_spent: ProofOfWorkSpentTable;
  email_codes: EmailCodeTable;
  claim_config: ClaimConfigTable;
  claim_attributes: ClaimAttributeTable;
  upstream_providers: UpstreamProviderTable;
  linked_identities: LinkedIdentityTable;
  upstream_flows: UpstreamFlowTable;
  organization_sso: OrganizationSsoTable;
  stripe_events: StripeEventTable;
  stripe_subscriptions: StripeSubscriptionTable;
}

/** A user's passkey (WebAuthn credential, repos/passkeys.ts). */
export interface PasskeyTable {
  /** The issuer the row belongs to (issuers/scope.ts); every query names it. */
  issuer_id: string;
  id: string;
  user_id: string;
  /** The credential id, base64url; unique per issuer. */
  credential_id: string;
  /** The COSE public key, base64url. */
  public_key: string;
  sign_count: number;
  /** The authenticator's transports, space-separated (`internal hybrid`). */
  transports: string;
  aaguid: string;
  /** `singleDevice` or `multiDevice` (the backup-eligible flag). */
  device_type: string;
  /** 1 when the last use said the key is backed up (synced), else 0. */
  backed_up: number;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

/** A one-time WebAuthn challenge (repos/passkeys.ts): deleted when used. */
export interface PasskeyChallengeTable {
  issuer_id: string;
  /** The challenge as the browser returns it (base64url of 32 random bytes). */
  challenge: string;
  /** `register`, `login` (passwordless) or `mfa` (second factor). */
  purpose: string;
  /** What it is bound to: the interaction id, or the account session's id. */
  binding: string;
  /** The user it was issued for (register, mfa); null for a passwordless sign-in. */
  user_id: string | null;
  expires_at: number;
}

/** An issuer's APIs, custom scopes and attribute schemas (migration 036, claims/config.ts). */
export interface ClaimConfigTable {
  issuer_id: string;
  kind: string;
  name: string;
  body: string;
  created_at: number;
  updated_at: number;
}

/** An upstream identity provider of an issuer (migration 035, federation/). */
export interface UpstreamProviderTable {
  issuer_id: string;
  id: string;
  kind: 'oidc' | 'oauth2';
  preset: string | null;
  display_name: string;
  issuer_url: string | null;
  authorization_endpoint: string | null;
  token_endpoint: string | null;
  userinfo_endpoint: string | null;
  client_id: string;
  /** Sealed (services.box). */
  client_secret: string;
  /** Space-separated. */
  scopes: string;
  /** JSON (federation/claims.ts ClaimMapping). */
  claim_mapping: string;
  trusted_for_linking: number;
  trust_amr: number;
  enabled: number;
  default_sign_in: 'off' | 'link' | 'always';
  created_at: number;
  updated_at: number;
}

/** A typed attribute of a user or an organization (migration 036, claims/attributes.ts). */
export interface ClaimAttributeTable {
  issuer_id: string;
  subject_kind: string;
  subject_id: string;
  name: string;
  value: string;
  updated_at: number;
}

/** An upstream identity linked to a user: (provider, subject) is unique per issuer. */
export interface LinkedIdentityTable {
  id: string;
  issuer_id: string;
  user_id: string;
  provider_id: string;
  subject: string;
  email: string | null;
  linked_at: number;
  last_used_at: number | null;
}

/** A sign-in in flight at an upstream provider: its state, PKCE verifier and nonce, spent once. */
export interface UpstreamFlowTable {
  issuer_id: string;
  state_hash: string;
  provider_id: string;
  interaction_id: string;
  browser_hash: string;
  /** Sealed. */
  code_verifier: string;
  nonce: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  link_user_id: string | null;
  link_subject: string | null;
  link_email: string | null;
}

/** An organization's enterprise sign-in (federation/sso.ts): its provider, and roles from an upstream claim. */
export interface OrganizationSsoTable {
  issuer_id: string;
  organization_id: string;
  provider_id: string;
  required: number;
  role_claim: string | null;
  /** JSON: { "<upstream value>": ["<role>", …] }. */
  role_map: string;
  updated_at: number;
}

/** A Stripe event applied (migration 036, claims/stripe.ts). */
export interface StripeEventTable {
  issuer_id: string;
  event_id: string;
  received_at: number;
}

/** The last Stripe event applied to a subscription, by Stripe's `created` (migration 036). */
export interface StripeSubscriptionTable {
  issuer_id: string;
  subscription_id: string;
  event_created: number;
  subject_kind: string;
  subject_id: string;
}
