import type { Kysely } from 'kysely';
import type { ClientCache } from './client-cache.js';
import type { Clock } from './clock.js';
import { AccessTokenRevocationRepository } from './repos/access-token-revocations.js';
import { ClientRepository } from './repos/clients.js';
import { AuthorizationCodeRepository } from './repos/codes.js';
import { ConsentRepository } from './repos/consents.js';
import { GrantRepository } from './repos/grants.js';
import { InteractionRepository } from './repos/interactions.js';
import { MailOutboxRepository } from './repos/mail-outbox.js';
import { MembershipRepository } from './repos/memberships.js';
import { OrganizationRoleRepository } from './repos/organization-roles.js';
import { OrganizationRepository } from './repos/organizations.js';
import { PasswordResetRepository } from './repos/password-resets.js';
import { RateLimitRepository } from './repos/rate-limits.js';
import { RefreshTokenRepository } from './repos/refresh-tokens.js';
import { SessionRepository } from './repos/sessions.js';
import { UserRepository } from './repos/users.js';
import type { Database } from './schema.js';

export interface Repos {
  clients: ClientRepository;
  users: UserRepository;
  sessions: SessionRepository;
  interactions: InteractionRepository;
  codes: AuthorizationCodeRepository;
  grants: GrantRepository;
  refreshTokens: RefreshTokenRepository;
  accessTokenRevocations: AccessTokenRevocationRepository;
  consents: ConsentRepository;
  rateLimits: RateLimitRepository;
  organizations: OrganizationRepository;
  organizationRoles: OrganizationRoleRepository;
  memberships: MembershipRepository;
  passwordResets: PasswordResetRepository;
  mailOutbox: MailOutboxRepository;
}

/**
 * Repositories over a database or a transaction (a Transaction is a Kysely too); clients come
 * from `clientCache` when one is given (the server's root repositories on PostgreSQL).
 */
export function createRepos(db: Kysely<Database>, clock: Clock, clientCache?: ClientCache): Repos {
  return {
    clients: new ClientRepository(db, clock, clientCache),
    users: new UserRepository(db, clock),
    sessions: new SessionRepository(db, clock),
    interactions: new InteractionRepository(db, clock),
    codes: new AuthorizationCodeRepository(db, clock),
    grants: new GrantRepository(db, clock),
    refreshTokens: new RefreshTokenRepository(db, clock),
    accessTokenRevocations: new AccessTokenRevocationRepository(db, clock),
    consents: new ConsentRepository(db, clock),
    rateLimits: new RateLimitRepository(db, clock),
    organizations: new OrganizationRepository(db, clock),
    organizationRoles: new OrganizationRoleRepository(db, clock),
    memberships: new MembershipRepository(db, clock),
    passwordResets: new PasswordResetRepository(db, clock),
    mailOutbox: new MailOutboxRepository(db, clock),
  };
}
