/**
 * Every kind of event Gatehouse records, with what its payload holds. Payloads name things by
 * id and never carry secrets, tokens or password hashes. Events are written in the same
 * transaction as the change they describe (store/repos/events.ts), and form the audit log;
 * webhooks deliver them later.
 */
export interface EventPayloads {
  'issuer.created': { name: string };
  'issuer.updated': { changed: string[] };
  'issuer.deleted': { users: number };
  'client.created': { client_name: string; public: boolean };
  'client.updated': { changed: string[] };
  'client.secret_rotated': Record<string, never>;
  'client.deleted': Record<string, never>;
  'user.created': Record<string, never>;
  'user.disabled': Record<string, never>;
  'user.enabled': Record<string, never>;
  'user.password_changed': { sessions_ended: boolean };
  /** An administrator changed the user's profile (services/users.ts updateUser); `changed` names the fields. */
  'user.updated': { changed: string[] };
  /** The user was deleted with their sessions, grants and memberships; their events stay. */
  'user.deleted': Record<string, never>;
  /** An invitation (a link to choose a password) was asked for; the mail itself is a mail.requested. */
  'user.invited': Record<string, never>;
  'key.rotated': { alg: string; kid: string; activates_at: number };
  /** A key stopped signing before its time; `activated` is the pending key that signs in its place at once, if one had to. */
  'key.retired': { alg: string; kid: string; activated: string | null };
  'grant.revoked': { grant_id: string; reason: GrantEndReason };
  'token.reused': { kind: 'authorization_code' | 'refresh_token'; grant_id: string | null };
  'consent.granted': { scope: string[] };
  'consent.revoked': Record<string, never>;
  'organization.created': { organization_id: string; name: string };
  'organization.updated': { organization_id: string; changed: ('name' | 'suspended' | 'mfa')[] };
  'organization.deleted': { organization_id: string };
  'organization.role_created': { organization_id: string; role: string; permissions: string[] };
  'organization.role_updated': { organization_id: string; role: string; permissions: string[] };
  'organization.role_deleted': { organization_id: string; role: string; members_affected: number };
  'organization.member_added': { organization_id: string; roles: string[] };
  'organization.member_removed': { organization_id: string };
  'organization.member_roles_changed': { organization_id: string; roles: string[] };
  'grant.created': { grant_id: string; scope: string };
  'session.started': { sid: string };
  'admin.role_granted': { role: 'owner' | 'admin' | 'viewer'; previous: 'owner' | 'admin' | 'viewer' | null };
  'admin.role_revoked': { role: 'owner' | 'admin' | 'viewer' };
  /** An operator signed in to the console (the actor is the operator, with their address). */
  'admin.signed_in': { role: 'owner' | 'admin' | 'viewer' };
  'admin.signed_out': Record<string, never>;
  /** The issuer's first owner was made with a one-time setup link. */
  'admin.setup_completed': Record<string, never>;
  /** A password check failed (the address is the caller's; the user is null for an unknown email). */
  'sign_in.failed': { reason: 'unknown_account' | 'wrong_password' | 'disabled' };
  /** A sign-in was refused before its password was checked: a throttle limit was reached. */
  'sign_in.throttled': { limit: string };
  /**
   * A mail to send (mail/outbox.ts delivers it). The payload holds what the mail is built from
   * at send time: never a secret. A reset link's token is minted when the mail is sent, so it
   * is in no row but password_resets (hashed); the recipient is the address as it was typed.
   */
  'mail.requested': { template: string; recipient: string; locale: string; data: Record<string, string> };
  // Second factors and the MFA policy (factors/, helper "mfa").
  /** A second factor was proved at the sign-in's `mfa` step; `remembered` when the device is now remembered. */
  'mfa.verified': { factor: string; remembered: boolean };
  /** A second factor was not proved (a wrong or reused code); never the code itself. */
  'mfa.failed': { factor: string };
  /** Second-factor attempts are refused for a while: too many failures for the user or the interaction. */
  'mfa.locked': { factor: string; limit: 'user' | 'interaction'; seconds: number };
  /** A factor was added (an authenticator app confirmed), removed, or the recovery codes were made anew. */
  'mfa.factor_added': { factor: string };
  'mfa.factor_removed': { factor: string };
  'mfa.recovery_codes_generated': { count: number };

  // Sign-up and email (signup/): self-service accounts and changes of address.
  /** A self-service sign-up created the user once its address was proven, by the mailed `code` or `link`. */
  'user.signed_up': { method: 'code' | 'link' };
  /** An address was proven by its mailed code or link: a new account's, or the user's new one. */
  'user.email_verified': { purpose: 'sign_up' | 'email_change'; method: 'code' | 'link' };
  /** The user's email became a proven new address; the old address was told by mail. */
  'user.email_changed': Record<string, never>;
  /**
   * A sign-up (or another user's change of address) asked for this user's address: they were
   * mailed a warning instead of a code; the person asking saw the same page as anyone else.
   */
  'user.sign_up_attempted': { purpose: 'sign_up' | 'email_change' };
  'session.ended': { reason: 'logout' | 'password_changed' | 'user_disabled' | 'signed_out_elsewhere' | 'expired' | 'ended_by_admin' | 'account_closed' };
  // The account pages (account/*).
  /**
   * The user closed their own account (account/close.ts): every grant and session ended, then
   * the user was deleted or anonymised (the issuer's closedAccounts setting). The reason they
   * gave is kept for the operator (account_closures), not in the event.
   */
  'user.closed': { outcome: 'deleted' | 'anonymised' };
  // Passkeys (passkeys/): a credential registered or removed on the account page, and a
  // passkey sign-in or second factor that did not verify (`reason` says which check refused it).
  'passkey.added': { passkey_id: string; aaguid: string; device_type: 'singleDevice' | 'multiDevice' };
  'passkey.removed': { passkey_id: string };
  'passkey.used_failed': { reason: string; purpose: 'login' | 'mfa' };
  // Webhooks (issue 22, webhooks/*.ts): the endpoints' own changes, and the test event.
  /** A webhook endpoint was registered; `url` without its query (it may hold a receiver's token), `events` its filter (`grant.revoked,user.*`). */
  'webhook.endpoint_created': { endpoint_id: string; url: string; events: string };
  'webhook.endpoint_updated': { endpoint_id: string; changed: string[] };
  'webhook.endpoint_deleted': { endpoint_id: string };
  /** Every delivery to the endpoint failed for a day: it was disabled and the issuer's owners mailed. */
  'webhook.endpoint_disabled': { endpoint_id: string; reason: string };
  /** A new signing secret; the previous one signs too until `previous_expires_at` (null: not at all). */
  'webhook.secret_rotated': { endpoint_id: string; previous_expires_at: number | null };
  /** Sent to one endpoint only, on request (Admin API, console): never through a filter. */
  'webhook.test': { endpoint_id: string };
  // Wallets (wallets/): an Ethereum address linked by a signed EIP-4361 message, or unlinked.
  'wallet.linked': { wallet_id: string; address: string; chain_id: number };
  'wallet.unlinked': { wallet_id: string; address: string };
  // Abuse protection and email codes (src/abuse/, docs/accounts.md).
  /** A new password was refused because it is in the breach list; never the password or its hash. */
  'password.breached_refused': { place: 'change' | 'reset' | 'admin' | 'signup' };
  /** A proof-of-work solution was sent and refused (malformed, wrong, expired or already used). */
  'abuse.proof_of_work_failed': { form: 'login' | 'signup'; reason: 'malformed' | 'wrong' | 'expired' | 'spent' };
  /** A user signed in with a code mailed to their address (interactions/email-code). */
  'sign_in.email_code': Record<string, never>;
  // The revocation feed (issue 22, endpoints/revocation-feed.ts, docs/revocation.md).
  /** An access token was revoked on its own (RFC 7009): `jti` is its id (not a secret), `expires_at` when it expires anyway. */
  'access_token.revoked': { jti: string; expires_at: number };
  // Back-channel logout (logout/backchannel.ts, docs/logout.md): a logout token's delivery to a
  // client that registered a backchannel_logout_uri, after a session that signed in to it ended.
  /** The client answered 2xx to the logout token for session `sid` (`attempts`: including this one). */
  'logout.backchannel_delivered': { sid: string; attempts: number; status: number };
  /** An attempt failed; `will_retry` false when it was given up (a dead letter). */
  'logout.backchannel_failed': { sid: string; attempts: number; error: string; will_retry: boolean };
  // Closing issue 20's gaps (helper "accounts").
  /**
   * A mailed sign-in code was typed and refused: `wrong` (no such code for this interaction and
   * address), `throttled` (too many tries). The user is the address's account, if it has one.
   */
  'sign_in.email_code_failed': { reason: 'wrong' | 'throttled' };
  // Per-scope revocation (services/grant-scopes.ts): a grant narrowed on the account page, the console or the Admin API.
  /** Scopes were taken out of a live grant; `scope` is what it still holds. Its tokens with a removed scope stopped working. */
  'grant.scope_removed': { grant_id: string; removed: string[]; scope: string; by: 'user' | 'admin' };
  // Federation (issue 23, federation/*.ts): upstream providers and the identities linked through them.
  /** An upstream identity provider was configured (its client secret is never in an event). */
  'upstream_provider.created': { provider_id: string; kind: 'oidc' | 'oauth2' };
  'upstream_provider.updated': { provider_id: string; changed: string[] };
  /** Deleted, with the identities linked through it. */
  'upstream_provider.deleted': { provider_id: string };
  /** An upstream identity was linked to the user: `how` says why it was allowed. */
  'identity.linked': { identity_id: string; provider_id: string; how: 'created' | 'verified_email' | 'proved_account' };
  'identity.unlinked': { identity_id: string; provider_id: string };
  // Typed attributes (claims/, docs/scopes-and-claims.md): the name only, never the value.
  /** A user's or organization's attribute was set (it matched its schema). */
  'attribute.set': { target: 'user' | 'organization'; subject_id: string; name: string };
  'attribute.removed': { target: 'user' | 'organization'; subject_id: string; name: string };
}

export type EventType = keyof EventPayloads;

/** Why a grant ended (the one place a grant ends, services/grants.ts revokeGrant, records it). */
export type GrantEndReason =
  | 'revoked_by_client'
  | 'revoked_by_user'
  | 'revoked_by_admin'
  | 'refresh_token_reused'
  | 'code_reused'
  | 'user_disabled'
  | 'password_changed'
  | 'session_ended';

export const EVENT_TYPES: readonly EventType[] = [
  'issuer.created',
  'issuer.updated',
  'issuer.deleted',
  'client.created',
  'client.updated',
  'client.secret_rotated',
  'client.deleted',
  'user.created',
  'user.disabled',
  'user.enabled',
  'user.password_changed',
  'key.rotated',
  'key.retired',
  'grant.revoked',
  'token.reused',
  'consent.granted',
  'consent.revoked',
  'session.started',
  'session.ended',
  'grant.created',
  'organization.created',
  'organization.updated',
  'organization.deleted',
  'organization.role_created',
  'organization.role_updated',
  'organization.role_deleted',
  'organization.member_added',
  'organization.member_removed',
  'organization.member_roles_changed',
  'admin.role_granted',
  'admin.role_revoked',
  'admin.signed_in',
  'admin.signed_out',
  'admin.setup_completed',
  'sign_in.failed',
  'sign_in.throttled',
  'mail.requested',
  'user.updated',
  'user.deleted',
  'user.invited',
  'mfa.verified',
  'mfa.failed',
  'mfa.locked',
  'mfa.factor_added',
  'mfa.factor_removed',
  'mfa.recovery_codes_generated',
  'user.signed_up',
  'user.email_verified',
  'user.email_changed',
  'user.sign_up_attempted',
  'user.closed',
  'passkey.added',
  'passkey.removed',
  'passkey.used_failed',
  'webhook.endpoint_created',
  'webhook.endpoint_updated',
  'webhook.endpoint_deleted',
  'webhook.endpoint_disabled',
  'webhook.secret_rotated',
  'webhook.test',
  'wallet.linked',
  'wallet.unlinked',
  'password.breached_refused',
  'abuse.proof_of_work_failed',
  'sign_in.email_code',
  'access_token.revoked',
  'logout.backchannel_delivered',
  'logout.backchannel_failed',
  'sign_in.email_code_failed',
  'grant.scope_removed',
  'upstream_provider.created',
  'upstream_provider.updated',
  'upstream_provider.deleted',
  'identity.linked',
  'identity.unlinked',
  'attribute.set',
  'attribute.removed',
];

/** One event as it is recorded: who (actor), about whom (user, client), and its payload. */
export interface NewEvent<T extends EventType = EventType> {
  type: T;
  payload: EventPayloads[T];
  /** Who made the change: `cli`, `user:<id>`, `client:<id>`, `system`. */
  actor?: string;
  /** The IP address the change came from. */
  address?: string | null;
  userId?: string | null;
  clientId?: string | null;
}

export interface RecordedEvent extends Required<Omit<NewEvent, 'actor' | 'address'>> {
  id: string;
  issuerId: string;
  actor: string | null;
  address: string | null;
  occurredAt: number;
}
