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
  'client.secret_rotated': Record<string, never>;
  'client.deleted': Record<string, never>;
  'user.created': Record<string, never>;
  'user.disabled': Record<string, never>;
  'user.enabled': Record<string, never>;
  'user.password_changed': { sessions_ended: boolean };
  'key.rotated': { alg: string; kid: string; activates_at: number };
  'grant.revoked': { grant_id: string; reason: GrantEndReason };
  'token.reused': { kind: 'authorization_code' | 'refresh_token'; grant_id: string | null };
  'consent.granted': { scope: string[] };
  'consent.revoked': Record<string, never>;
  'session.ended': { reason: 'logout' | 'password_changed' | 'user_disabled' | 'signed_out_elsewhere' | 'expired' };
}

export type EventType = keyof EventPayloads;

/** Why a grant ended (the one place a grant ends records it: GrantRepository.revoke*). */
export type GrantEndReason = 'revoked_by_client' | 'revoked_by_user' | 'refresh_token_reused' | 'code_reused' | 'user_disabled' | 'password_changed' | 'session_ended';

export const EVENT_TYPES: readonly EventType[] = [
  'issuer.created',
  'issuer.updated',
  'issuer.deleted',
  'client.created',
  'client.secret_rotated',
  'client.deleted',
  'user.created',
  'user.disabled',
  'user.enabled',
  'user.password_changed',
  'key.rotated',
  'grant.revoked',
  'token.reused',
  'consent.granted',
  'consent.revoked',
  'session.ended',
];

/** One event as it is recorded: who (actor), about whom (user, client), and its payload. */
export interface NewEvent<T extends EventType = EventType> {
  type: T;
  payload: EventPayloads[T];
  /** Who made the change: `cli`, `user:<id>`, `client:<id>`, `system`. */
  actor?: string;
  userId?: string | null;
  clientId?: string | null;
}

export interface RecordedEvent extends Required<Omit<NewEvent, 'actor'>> {
  id: string;
  issuerId: string;
  actor: string | null;
  occurredAt: number;
}
