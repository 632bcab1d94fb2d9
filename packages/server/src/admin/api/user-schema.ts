import { z } from 'zod';
import { LOCALES } from '../../pages/locales.js';
import type { UserInput, UserPatch } from '../../services/users.js';
import type { GrantOfApp } from '../../store/repos/grants.js';
import type { Session } from '../../store/repos/sessions.js';
import type { User } from '../../store/repos/users.js';
import type { FieldNames } from './problem.js';

/**
 * A user as the Admin API shows and takes it: OpenID Connect claim names (`name`, `given_name`,
 * `email_verified`...) where one exists. Never the password hash: only whether there is one.
 */

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString();
const profileText = z.string().max(200);

export const userSchema = z
  .object({
    user_id: z.string().meta({ description: 'The user’s sub' }),
    email: z.string(),
    email_verified: z.boolean(),
    name: z.string().nullable(),
    given_name: z.string().nullable(),
    family_name: z.string().nullable(),
    preferred_username: z.string().nullable(),
    picture: z.string().nullable(),
    disabled: z.boolean(),
    has_password: z.boolean().meta({ description: 'false for an invited user who has not chosen one yet' }),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'User' });

export const newUserSchema = z
  .strictObject({
    email: z.string().max(320),
    email_verified: z.boolean().optional(),
    name: profileText.optional(),
    given_name: profileText.optional(),
    family_name: profileText.optional(),
    preferred_username: profileText.optional(),
    password: z.string().max(1000).optional().meta({ description: 'Hashed with argon2id; leave it out to invite or for sign-in by other means' }),
    invite: z.boolean().optional().meta({ description: 'Mail the person a link to choose their password (valid 7 days); needs mail configured' }),
    locale: z.enum(LOCALES).optional().meta({ description: 'The language of the invitation mail and of the page its link opens (default en)' }),
  })
  .meta({ id: 'NewUser' });

/** `?locale=` of a repeated invitation. */
export const invitationQuery = z.strictObject({
  locale: z.enum(LOCALES).optional().meta({ description: 'The language of the mail and of the page its link opens (default en)' }),
});

export const userPatchSchema = z
  .strictObject({
    email: z.string().max(320),
    email_verified: z.boolean(),
    name: profileText.nullable(),
    given_name: profileText.nullable(),
    family_name: profileText.nullable(),
    preferred_username: profileText.nullable(),
    picture: z.string().max(2000).nullable(),
    disabled: z.boolean().meta({ description: 'true ends every session and grant of the user at once' }),
  })
  .partial()
  .meta({
    id: 'UserPatch',
    description: 'Only the fields given change; null clears a profile field. A new email is unverified unless email_verified is given.',
  });

export const passwordBodySchema = z
  .strictObject({
    password: z.string().max(1000),
    revoke_grants: z.boolean().optional().meta({ description: 'Also revoke every grant (apps sign the user in again); sessions end either way' }),
  })
  .meta({ id: 'PasswordChange' });

export const sessionSchema = z
  .object({
    session_id: z.string().meta({ description: 'The session’s sid (as in ID tokens)' }),
    auth_time: z.iso.datetime(),
    amr: z.array(z.string()),
    acr: z.string(),
    created_at: z.iso.datetime(),
    expires_at: z.iso.datetime(),
  })
  .meta({ id: 'Session' });

export const userGrantSchema = z
  .object({
    grant_id: z.string(),
    client_id: z.string(),
    client_name: z.string(),
    scope: z.string(),
    resource: z.string().nullable(),
    created_at: z.iso.datetime(),
    expires_at: z.iso.datetime(),
    last_refreshed_at: z.iso.datetime().nullable(),
  })
  .meta({ id: 'UserGrant' });

export const invitationSchema = z.object({ recipient: z.string(), expires_in: z.number().int() }).meta({ id: 'Invitation' });

/** The services' field names as this resource spells them. */
export const USER_FIELDS: FieldNames = {
  email: 'email',
  emailVerified: 'email_verified',
  name: 'name',
  givenName: 'given_name',
  familyName: 'family_name',
  preferredUsername: 'preferred_username',
  picture: 'picture',
  password: 'password',
  invite: 'invite',
  user_id: 'user_id',
};

export function userView(user: User): z.infer<typeof userSchema> {
  return {
    user_id: user.id,
    email: user.email,
    email_verified: user.emailVerified,
    name: user.name,
    given_name: user.givenName,
    family_name: user.familyName,
    preferred_username: user.preferredUsername,
    picture: user.picture,
    disabled: user.disabled,
    has_password: user.passwordHash !== null,
    created_at: iso(user.createdAt),
    updated_at: iso(user.updatedAt),
  };
}

export function sessionView(session: Session): z.infer<typeof sessionSchema> {
  return {
    session_id: session.sid,
    auth_time: iso(session.authTime),
    amr: session.amr,
    acr: session.acr,
    created_at: iso(session.createdAt),
    expires_at: iso(session.expiresAt),
  };
}

export function userGrantView({ grant, clientName, lastRefreshedAt }: GrantOfApp): z.infer<typeof userGrantSchema> {
  return {
    grant_id: grant.id,
    client_id: grant.clientId,
    client_name: clientName,
    scope: grant.scope,
    resource: grant.resource,
    created_at: iso(grant.createdAt),
    expires_at: iso(Number(grant.expiresAt)),
    last_refreshed_at: lastRefreshedAt === null ? null : iso(lastRefreshedAt),
  };
}

export function userInput(body: z.infer<typeof newUserSchema>): UserInput {
  return {
    email: body.email,
    emailVerified: body.email_verified,
    name: body.name,
    givenName: body.given_name,
    familyName: body.family_name,
    preferredUsername: body.preferred_username,
  };
}

export function userPatch(body: z.infer<typeof userPatchSchema>): UserPatch {
  return {
    email: body.email,
    emailVerified: body.email_verified,
    name: body.name,
    givenName: body.given_name,
    familyName: body.family_name,
    preferredUsername: body.preferred_username,
    picture: body.picture,
    disabled: body.disabled,
  };
}
