import { z } from 'zod';
import type { EventPayloads, EventType } from './catalog.js';

/**
 * The payload of every event type as a schema: docs/events.md shows each as JSON Schema
 * (scripts/events-doc.ts writes it; test/webhooks/events-doc.test.ts keeps it current), and the
 * compiler keeps each schema to the type in catalog.ts (PayloadsMatch below).
 */
const empty = z.strictObject({});
const changed = z.strictObject({ changed: z.array(z.string()).meta({ description: 'The settings or fields that changed' }) });
const org = z.string().meta({ description: 'The organization' });
const role = z.enum(['owner', 'admin', 'viewer']);
const grantEnd = z.enum([
  'revoked_by_client',
  'revoked_by_user',
  'revoked_by_admin',
  'refresh_token_reused',
  'code_reused',
  'user_disabled',
  'password_changed',
  'session_ended',
]);
const endpoint = z.string().meta({ description: 'The webhook endpoint' });

export const EVENT_SCHEMAS = {
  'issuer.created': z.strictObject({ name: z.string() }),
  'issuer.updated': changed,
  'issuer.deleted': z.strictObject({ users: z.number().int().meta({ description: 'How many users were deleted with it' }) }),
  'client.created': z.strictObject({ client_name: z.string(), public: z.boolean() }),
  'client.updated': changed,
  'client.secret_rotated': empty,
  'client.deleted': empty,
  'user.created': empty,
  'user.disabled': empty,
  'user.enabled': empty,
  'user.password_changed': z.strictObject({ sessions_ended: z.boolean() }),
  'user.updated': changed,
  'user.deleted': empty,
  'user.invited': empty,
  'key.rotated': z.strictObject({ alg: z.string(), kid: z.string(), activates_at: z.number().int().meta({ description: 'Unix seconds' }) }),
  'key.retired': z.strictObject({
    alg: z.string(),
    kid: z.string(),
    activated: z.string().nullable().meta({ description: 'The key that signs in its place at once, if one had to' }),
  }),
  'grant.revoked': z.strictObject({ grant_id: z.string(), reason: grantEnd }),
  'token.reused': z.strictObject({ kind: z.enum(['authorization_code', 'refresh_token']), grant_id: z.string().nullable() }),
  'consent.granted': z.strictObject({ scope: z.array(z.string()) }),
  'consent.revoked': empty,
  'organization.created': z.strictObject({ organization_id: org, name: z.string() }),
  'organization.updated': z.strictObject({ organization_id: org, changed: z.array(z.enum(['name', 'suspended', 'mfa'])) }),
  'organization.deleted': z.strictObject({ organization_id: org }),
  'organization.role_created': z.strictObject({ organization_id: org, role: z.string(), permissions: z.array(z.string()) }),
  'organization.role_updated': z.strictObject({ organization_id: org, role: z.string(), permissions: z.array(z.string()) }),
  'organization.role_deleted': z.strictObject({ organization_id: org, role: z.string(), members_affected: z.number().int() }),
  'organization.member_added': z.strictObject({ organization_id: org, roles: z.array(z.string()) }),
  'organization.member_removed': z.strictObject({ organization_id: org }),
  'organization.member_roles_changed': z.strictObject({ organization_id: org, roles: z.array(z.string()) }),
  'grant.created': z.strictObject({ grant_id: z.string(), scope: z.string().meta({ description: 'Space-separated' }) }),
  'session.started': z.strictObject({ sid: z.string() }),
  'admin.role_granted': z.strictObject({ role, previous: role.nullable() }),
  'admin.role_revoked': z.strictObject({ role }),
  'admin.signed_in': z.strictObject({ role }),
  'admin.signed_out': empty,
  'admin.setup_completed': empty,
  'sign_in.failed': z.strictObject({ reason: z.enum(['unknown_account', 'wrong_password', 'disabled']) }),
  'sign_in.throttled': z.strictObject({ limit: z.string() }),
  'mail.requested': z.strictObject({ template: z.string(), recipient: z.string(), locale: z.string(), data: z.record(z.string(), z.string()) }),
  'session.ended': z.strictObject({
    reason: z.enum(['logout', 'password_changed', 'user_disabled', 'signed_out_elsewhere', 'expired', 'ended_by_admin', 'account_closed']),
  }),
  'webhook.endpoint_created': z.strictObject({ endpoint_id: endpoint, url: z.string().meta({ description: 'Without its query' }), events: z.string() }),
  'webhook.endpoint_updated': z.strictObject({ endpoint_id: endpoint, changed: z.array(z.string()) }),
  'webhook.endpoint_deleted': z.strictObject({ endpoint_id: endpoint }),
  'webhook.endpoint_disabled': z.strictObject({ endpoint_id: endpoint, reason: z.string() }),
  'webhook.secret_rotated': z.strictObject({ endpoint_id: endpoint, previous_expires_at: z.number().int().nullable() }),
  'webhook.test': z.strictObject({ endpoint_id: endpoint }),
  'mfa.verified': z.strictObject({ factor: z.string().meta({ description: 'The factor kind: totp, recovery, passkey, wallet' }), remembered: z.boolean() }),
  'mfa.failed': z.strictObject({ factor: z.string() }),
  'mfa.locked': z.strictObject({
    factor: z.string(),
    limit: z.enum(['user', 'interaction']),
    seconds: z.number().int().meta({ description: 'How long the lock lasts' }),
  }),
  'mfa.factor_added': z.strictObject({ factor: z.string() }),
  'mfa.factor_removed': z.strictObject({ factor: z.string() }),
  'mfa.recovery_codes_generated': z.strictObject({ count: z.number().int() }),
  'user.signed_up': z.strictObject({ method: z.enum(['code', 'link']).meta({ description: 'How the address was verified' }) }),
  'user.email_verified': z.strictObject({ purpose: z.enum(['sign_up', 'email_change']), method: z.enum(['code', 'link']) }),
  'user.email_changed': empty,
  'user.sign_up_attempted': z.strictObject({ purpose: z.enum(['sign_up', 'email_change']) }),
  'user.closed': z.strictObject({ outcome: z.enum(['deleted', 'anonymised']) }),
  'passkey.added': z.strictObject({ passkey_id: z.string(), aaguid: z.string(), device_type: z.enum(['singleDevice', 'multiDevice']) }),
  'passkey.removed': z.strictObject({ passkey_id: z.string() }),
  'passkey.used_failed': z.strictObject({ reason: z.string(), purpose: z.enum(['login', 'mfa']) }),
  'wallet.linked': z.strictObject({ wallet_id: z.string(), address: z.string().meta({ description: 'EIP-55 checksummed' }), chain_id: z.number().int() }),
  'wallet.unlinked': z.strictObject({ wallet_id: z.string(), address: z.string() }),
  'upstream_provider.created': z.strictObject({ provider_id: z.string(), kind: z.enum(['oidc', 'oauth2']) }),
  'upstream_provider.updated': z.strictObject({
    provider_id: z.string(),
    changed: z.array(z.string()).meta({ description: 'The fields changed (never their values)' }),
  }),
  'upstream_provider.deleted': z.strictObject({ provider_id: z.string() }),
  'identity.linked': z.strictObject({
    identity_id: z.string(),
    provider_id: z.string(),
    how: z.enum(['created', 'verified_email', 'proved_account']).meta({
      description:
        'created: a new user from this identity; verified_email: a trusted provider asserted the verified email; proved_account: the user proved the existing account',
    }),
  }),
  'identity.unlinked': z.strictObject({ identity_id: z.string(), provider_id: z.string() }),
  'password.breached_refused': z.strictObject({ place: z.enum(['change', 'reset', 'admin', 'signup']).meta({ description: 'Where the password was chosen' }) }),
  'abuse.proof_of_work_failed': z.strictObject({ form: z.enum(['login', 'signup']), reason: z.enum(['malformed', 'wrong', 'expired', 'spent']) }),
  'sign_in.email_code': empty,
  'access_token.revoked': z.strictObject({
    jti: z.string().meta({ description: 'The revoked token’s `jti` claim' }),
    expires_at: z.number().int().meta({ description: 'The token’s `exp`, Unix seconds: after it the token is refused anyway' }),
  }),
  // Back-channel logout (logout/backchannel.ts).
  'logout.backchannel_delivered': z.strictObject({
    sid: z.string().meta({ description: 'The session the logout token was for (its sid claim)' }),
    attempts: z.number().int().meta({ description: 'Attempts made, this one included' }),
    status: z.number().int().meta({ description: "The client's HTTP status (2xx)" }),
  }),
  'logout.backchannel_failed': z.strictObject({
    sid: z.string(),
    attempts: z.number().int(),
    error: z.string().meta({ description: 'Why the attempt failed (a status, a refused address, no answer); never the token' }),
    will_retry: z.boolean().meta({ description: 'false: given up, the delivery is a dead letter' }),
  }),
  'sign_in.email_code_failed': z.strictObject({ reason: z.enum(['wrong', 'throttled']).meta({ description: 'A wrong code, or one tried too often' }) }),
  'grant.scope_removed': z.strictObject({
    grant_id: z.string(),
    removed: z.array(z.string()).meta({ description: 'The scopes taken out of the grant' }),
    scope: z.string().meta({ description: 'What the grant still holds, space-separated' }),
    by: z.enum(['user', 'admin']).meta({ description: 'The user on their account page, or an administrator' }),
  }),
  'attribute.set': z.strictObject({ target: z.enum(['user', 'organization']), subject_id: z.string(), name: z.string() }),
  'attribute.removed': z.strictObject({ target: z.enum(['user', 'organization']), subject_id: z.string(), name: z.string() }),
} satisfies Partial<Record<EventType, z.ZodType>>;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Fails to compile when a schema and its catalog type differ. */
type Described = keyof typeof EVENT_SCHEMAS & EventType;
type PayloadsMatch = { [K in Described]: Same<z.infer<(typeof EVENT_SCHEMAS)[K]>, EventPayloads[K]> };
const payloadsMatch: { [K in Described]: true } = {} as PayloadsMatch;
void payloadsMatch;

/**
 * The JSON Schema of one event type's payload; undefined for a type added to the catalog without
 * a schema here (the docs test names it).
 */
export function payloadJsonSchema(type: EventType): Record<string, unknown> | undefined {
  const found = (EVENT_SCHEMAS as Partial<Record<EventType, z.ZodType>>)[type];
  if (!found) return undefined;
  const schema = z.toJSONSchema(found) as Record<string, unknown>;
  delete schema.$schema;
  return schema;
}
