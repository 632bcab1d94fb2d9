import type { EventPayloads } from '../events/catalog.js';
import type { Services } from '../services.js';
import type { Repos } from '../store/repos.js';
import { SessionRepository } from '../store/repos/sessions.js';
import { revokeGrant } from './grants.js';

type SessionEndReason = EventPayloads['session.ended']['reason'];

/**
 * Ending sessions, in one place for every cause (logout, a password change, disabling a user,
 * the session's lifetime): the session ends and, through revokeGrant, so do the grants signed in
 * through it but those given offline_access (OIDC Core §11), and each client it signed in to
 * that registered a backchannel_logout_uri is queued a logout token (logout/backchannel.ts).
 * Run it on the repositories of a transaction, so all of it commits together; the caller then
 * wakes `services.backchannel` (a server also finds the rows within its poll).
 */
export async function endSession(repos: Repos, id: string, reason: SessionEndReason): Promise<void> {
  const sid = await repos.sessions.end(id, reason);
  if (sid) await revokeGrant(repos, { sessions: [sid] }, 'session_ended');
}

/** Ends every session of the user but `keepId` (the one changing the password), with their grants. */
export async function endUserSessions(repos: Repos, userId: string, reason: SessionEndReason, keepId?: string): Promise<void> {
  const sids = await repos.sessions.endAllForUser(userId, reason, keepId);
  await revokeGrant(repos, { sessions: sids }, 'session_ended');
}

/**
 * Ends the sessions whose lifetime is over (maintenance.ts), each with its grants, so a session's
 * lifetime bounds its apps' tokens as its logout does. A batch at a time, every issuer; safe on
 * every instance at once (a session ends once). Returns how many it looked at.
 */
export async function endExpiredSessions(services: Services): Promise<number> {
  const due = await SessionRepository.expired(services.store.db, services.clock());
  for (const { id, issuerId } of due) {
    const scope = await services.scopes.byId(issuerId);
    if (scope) await scope.transaction((repos) => endSession(repos, id, 'expired'));
  }
  if (due.length > 0) services.backchannel.wake();
  return due.length;
}
