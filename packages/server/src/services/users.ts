import { hashPassword } from '../auth/password.js';
import { checkNewPassword } from '../abuse/breached.js';
import { passwordLengthProblem } from '../auth/password-policy.js';
import type { IssuerScope } from '../issuers/scope.js';
import { INVITE_MAIL } from '../password/invitations.js';
import { DuplicateEmailError, type NewUser, type User, type UserChanges, normalizeEmail } from '../store/repos/users.js';
import { checkedText, conflict, invalid, notFound, stale } from './errors.js';
import { revokeGrant } from './grants.js';
import { endSession, endUserSessions } from './sessions.js';
import type { Repos } from '../store/repos.js';

/**
 * What happens to a user, in one place for every caller (the CLI now, the Admin API and the
 * account pages next): each operation is one transaction, so a user is never left half changed,
 * and each change records its events (store/repos/events.ts) with it.
 */

/** A user to create, as a caller gives it (unchecked); fields are named by `labels` in messages (the CLI passes its flags). */
export interface UserInput {
  email: string;
  emailVerified?: boolean;
  name?: string;
  givenName?: string;
  familyName?: string;
  preferredUsername?: string;
}

export type UserField = 'email' | 'name' | 'givenName' | 'familyName' | 'preferredUsername' | 'password';

/** A sanity check only (the address is proven by the user, not by its shape). */
export function validateEmail(raw: string, label = 'email'): string {
  const email = raw.trim();
  if (email.length > 320) throw invalid('email', `${label} must be at most 320 characters`);
  const parts = email.split('@');
  if (parts.length !== 2 || !parts[0] || !parts[1] || /[\s\p{Cc}]/u.test(email)) {
    throw invalid('email', `${label} "${raw}" is not an email address (one @, no spaces)`);
  }
  return email;
}

/** The password rule (auth/password-policy.ts), as a ServiceError. */
export function validatePassword(password: string): string {
  const problem = passwordLengthProblem(password);
  if (problem) throw invalid('password', `the password ${problem}`);
  return password;
}

/** The breach-list check (abuse/breached.ts) for a password an administrator sets, as a ServiceError. */
async function refuseBreachedPassword(scope: IssuerScope, password: string, userId: string | null): Promise<void> {
  if (await checkNewPassword(scope, password, { place: 'admin', userId })) {
    throw invalid('password', 'the password appears in a known data breach (GATEHOUSE_BREACHED_PASSWORDS_URL); choose another');
  }
}

/** Checks a user to create, without the database; throws a ServiceError (`invalid`) naming the field. */
export function validateNewUser(input: UserInput, labels: Partial<Record<UserField, string>> = {}): Omit<NewUser, 'passwordHash'> {
  const optional = (field: UserField, value: string | undefined): string | null =>
    value === undefined ? null : checkedText(field, labels[field] ?? field, value, 200);
  return {
    email: validateEmail(input.email, labels.email),
    emailVerified: input.emailVerified ?? false,
    name: optional('name', input.name),
    givenName: optional('givenName', input.givenName),
    familyName: optional('familyName', input.familyName),
    preferredUsername: optional('preferredUsername', input.preferredUsername),
  };
}

/** Creates a user with `password` (hashed here, with the deployment's cost), or none: sign-in by other means only. */
export async function createUser(
  scope: IssuerScope,
  input: UserInput,
  password: string | null,
  labels: Partial<Record<UserField, string>> = {},
): Promise<User> {
  const user = validateNewUser(input, labels);
  if (password !== null) await refuseBreachedPassword(scope, validatePassword(password), null);
  const passwordHash = password === null ? null : await hashPassword(validatePassword(password));
  try {
    return await scope.repos.users.create({ ...user, passwordHash });
  } catch (error) {
    if (error instanceof DuplicateEmailError) throw conflict('email', error.message);
    throw error;
  }
}

/** Checks and hashes `password` (outside any transaction), then replacePassword: the path for a password given in clear. */
export async function setPassword(
  scope: IssuerScope,
  user: User,
  password: string,
  options: { revokeGrants?: boolean; keepSession?: string } = {},
): Promise<number> {
  await refuseBreachedPassword(scope, validatePassword(password), user.id);
  const passwordHash = await hashPassword(password);
  return replacePassword(scope, user, passwordHash, options);
}

/** Disables a user: signed out everywhere and every grant revoked, at once. Returns how many grants ended. */
export async function disableUser(scope: IssuerScope, user: User): Promise<number> {
  const revoked = await scope.transaction(async (repos) => {
    await repos.users.setDisabled(user.id, true);
    // The grants first, so the count is of every grant the user gave; then the sessions, whose
    // own grants are gone by then.
    const revoked = await revokeGrant(repos, { userId: user.id }, 'user_disabled');
    await endUserSessions(repos, user.id, 'user_disabled');
    return revoked;
  });
  scope.services.backchannel.wake();
  return revoked;
}

/** Lets a disabled user sign in again; grants revoked when it was disabled stay revoked. */
export async function enableUser(scope: IssuerScope, user: User): Promise<void> {
  await scope.repos.users.setDisabled(user.id, false);
}

/**
 * Replaces a user's password (already hashed: hashing runs outside the transaction) and signs
 * the user out everywhere, or everywhere but `keepSession`; with `revokeGrants`, apps lose their
 * grants too. Returns how many grants ended.
 */
export async function replacePassword(
  scope: IssuerScope,
  user: User,
  passwordHash: string,
  options: { revokeGrants?: boolean; keepSession?: string } = {},
): Promise<number> {
  const revoked = await scope.transaction(async (repos) => {
    await repos.users.setPasswordHash(user.id, passwordHash);
    await endUserSessions(repos, user.id, 'password_changed', options.keepSession);
    if (!options.revokeGrants) return 0;
    return revokeGrant(repos, { userId: user.id }, 'password_changed');
  });
  scope.services.backchannel.wake();
  return revoked;
}

/** A change to a user as a caller gives it (unchecked); null clears a profile field. */
export interface UserPatch {
  email?: string;
  emailVerified?: boolean;
  name?: string | null;
  givenName?: string | null;
  familyName?: string | null;
  preferredUsername?: string | null;
  picture?: string | null;
  disabled?: boolean;
}

/** A picture is shown by apps as an image: an https URL (http on a loopback host, for development). */
function validatePicture(raw: string): string {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    throw invalid('picture', 'picture must be an absolute https URL');
  }
  const loopback = url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if ((url.protocol !== 'https:' && !loopback) || raw.length > 2000 || /\s/.test(raw) || url.username || url.password) {
    throw invalid('picture', 'picture must be an https URL of at most 2000 characters, without spaces or credentials');
  }
  return raw;
}

/** Checks a patch, without the database; throws a ServiceError (`invalid`) naming the field. */
export function validateUserPatch(patch: UserPatch, labels: Partial<Record<UserField | 'picture', string>> = {}): UserChanges & { disabled?: boolean } {
  const text = (field: UserField, value: string | null | undefined): string | null | undefined =>
    value === undefined || value === null ? value : checkedText(field, labels[field] ?? field, value, 200);
  const out: UserChanges & { disabled?: boolean } = {};
  if (patch.email !== undefined) out.email = validateEmail(patch.email, labels.email);
  if (patch.emailVerified !== undefined) out.emailVerified = patch.emailVerified;
  const name = text('name', patch.name);
  if (name !== undefined) out.name = name;
  const given = text('givenName', patch.givenName);
  if (given !== undefined) out.givenName = given;
  const family = text('familyName', patch.familyName);
  if (family !== undefined) out.familyName = family;
  const preferred = text('preferredUsername', patch.preferredUsername);
  if (preferred !== undefined) out.preferredUsername = preferred;
  if (patch.picture !== undefined) out.picture = patch.picture === null ? null : validatePicture(patch.picture);
  if (patch.disabled !== undefined) out.disabled = patch.disabled;
  if (Object.keys(out).length === 0) throw invalid(undefined, 'nothing to change: name at least one field');
  return out;
}

/**
 * Changes a user: profile fields in one write (only at `revision`, when given: `stale` else),
 * then disabling (which ends every session and grant) or enabling. A new email is unproven:
 * it is unverified unless the patch says otherwise. Returns the user as it is now.
 */
export async function updateUser(scope: IssuerScope, user: User, patch: UserPatch, options: { revision?: number } = {}): Promise<User> {
  const { disabled, ...changes } = validateUserPatch(patch);
  if (options.revision !== undefined && user.revision !== options.revision) throw stale('the user was changed since that revision');
  if (changes.email !== undefined && normalizeEmail(changes.email) !== user.email && changes.emailVerified === undefined) changes.emailVerified = false;
  if (Object.keys(changes).length > 0) {
    try {
      if (!(await scope.repos.users.update(user.id, changes, user.revision))) {
        if (!(await scope.repos.users.findById(user.id))) throw notFound('user_id', `there is no user ${user.id} at this issuer`);
        throw stale('the user was changed while this change was checked; read it again');
      }
    } catch (error) {
      if (error instanceof DuplicateEmailError) throw conflict('email', error.message);
      throw error;
    }
  }
  if (disabled === true && !user.disabled) await disableUser(scope, user);
  if (disabled === false && user.disabled) await enableUser(scope, user);
  const now = await scope.repos.users.findById(user.id);
  if (!now) throw notFound('user_id', `there is no user ${user.id} at this issuer`);
  return now;
}

/**
 * Deletes a user with everything that hangs on them (store/repos/users.ts delete). The issuer's
 * last owner cannot be deleted: the issuer would be locked out of its own console.
 */
export async function deleteUser(scope: IssuerScope, user: User, options: { revision?: number } = {}): Promise<void> {
  await scope.transaction(async (repos) => {
    // Ended first, not merely deleted with the user: the apps it signed in to get their logout tokens.
    await endUserSessions(repos, user.id, 'ended_by_admin');
    await deleteUserIn(repos, user, options);
  });
  scope.services.backchannel.wake();
  scope.services.logger.log('info', 'user_deleted', { issuer: scope.id, user: user.id });
}

/** deleteUser's checks and deletion on the repositories of a caller's transaction (closing an account runs it with the rest). */
export async function deleteUserIn(repos: Repos, user: User, options: { revision?: number } = {}): Promise<void> {
  await refuseLastOwner(repos, user);
  if (!(await repos.users.delete(user.id, options.revision))) {
    if (!(await repos.users.findById(user.id))) throw notFound('user_id', `there is no user ${user.id} at this issuer`);
    throw stale('the user was changed since that revision');
  }
}

/** The issuer's last owner cannot go (deleted or closed): the issuer would be locked out of its own console. */
export async function refuseLastOwner(repos: Repos, user: User): Promise<void> {
  if ((await repos.adminRoles.find(user.id)) === 'owner' && (await repos.adminRoles.ownerCount()) <= 1) {
    throw conflict('user_id', 'this is the issuer’s last owner: make someone else owner first');
  }
}

/**
 * Mails the user a link to choose their password (password/invitations.ts), valid a week;
 * asking again mails a new one. Needs mail to be configured (`conflict` else). The mail goes
 * through the outbox, so it is sent, retried or given up after this returns.
 */
export async function inviteUser(scope: IssuerScope, user: User, locale = 'en'): Promise<void> {
  const outbox = scope.services.outbox;
  if (!outbox) throw conflict('invite', 'mail is not configured (GATEHOUSE_SMTP_URL): no invitation can be sent');
  if (user.disabled) throw conflict('invite', 'the user is disabled: enable them first');
  await scope.repos.events.record({ type: 'user.invited', userId: user.id, payload: {} });
  await outbox.enqueue(INVITE_MAIL, user.email, scope.id, locale);
}

/** Ends one live session of the user (by its sid) with the grants signed in through it; false when there is none. */
export async function endSessionOfUser(scope: IssuerScope, userId: string, sid: string): Promise<boolean> {
  const session = await scope.repos.sessions.findBySid(sid);
  if (!session || session.userId !== userId) return false;
  await scope.transaction((repos) => endSession(repos, session.id, 'ended_by_admin'));
  scope.services.backchannel.wake();
  return true;
}

/** Signs the user out everywhere: every session ends with its grants (offline ones stay). */
export async function endAllSessionsOfUser(scope: IssuerScope, userId: string): Promise<void> {
  await scope.transaction((repos) => endUserSessions(repos, userId, 'ended_by_admin'));
  scope.services.backchannel.wake();
}

/** Revokes one live grant the user gave; false when they have none with that id. */
export async function revokeGrantOfUser(scope: IssuerScope, userId: string, grantId: string): Promise<boolean> {
  const grant = await scope.repos.grants.findActive(grantId);
  if (!grant || grant.userId !== userId) return false;
  const ended = await scope.transaction(async (repos) => (await revokeGrant(repos, { grantId }, 'revoked_by_admin')) > 0);
  // Committed: its grant.revoked goes out to webhooks now (resource servers, docs/revocation.md).
  if (ended) scope.services.webhooks.wake();
  return ended;
}
