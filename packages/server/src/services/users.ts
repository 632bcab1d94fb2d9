import { hashPassword } from '../auth/password.js';
import { passwordLengthProblem } from '../auth/password-policy.js';
import type { IssuerScope } from '../issuers/scope.js';
import { DuplicateEmailError, type NewUser, type User } from '../store/repos/users.js';
import { checkedText, conflict, invalid } from './errors.js';
import { revokeGrant } from './grants.js';
import { endUserSessions } from './sessions.js';

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
  const passwordHash = await hashPassword(validatePassword(password));
  return replacePassword(scope, user, passwordHash, options);
}

/** Disables a user: signed out everywhere and every grant revoked, at once. Returns how many grants ended. */
export async function disableUser(scope: IssuerScope, user: User): Promise<number> {
  return scope.transaction(async (repos) => {
    await repos.users.setDisabled(user.id, true);
    // The grants first, so the count is of every grant the user gave; then the sessions, whose
    // own grants are gone by then.
    const revoked = await revokeGrant(repos, { userId: user.id }, 'user_disabled');
    await endUserSessions(repos, user.id, 'user_disabled');
    return revoked;
  });
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
  return scope.transaction(async (repos) => {
    await repos.users.setPasswordHash(user.id, passwordHash);
    await endUserSessions(repos, user.id, 'password_changed', options.keepSession);
    if (!options.revokeGrants) return 0;
    return revokeGrant(repos, { userId: user.id }, 'password_changed');
  });
}
