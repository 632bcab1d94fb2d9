import { EmailCodeRepository } from '../abuse/email-codes.js';
import { SpentChallengeRepository } from '../abuse/spent-challenges.js';
import type { Kysely } from 'kysely';
import type { ClientCache } from './client-cache.js';
import type { Clock } from './clock.js';
import { AccountClosureRepository } from './repos/account-closures.js';
import { AdminRoleRepository } from './repos/admin-roles.js';
import { IdempotencyKeyRepository } from './repos/idempotency-keys.js';
import { ConsoleSetupLinkRepository } from './repos/console-setup-links.js';
import { EventStatsRepository } from './repos/event-stats.js';
import { EmailVerificationRepository } from './repos/email-verifications.js';
import { AccessTokenRevocationRepository } from './repos/access-token-revocations.js';
import { ClientRepository } from './repos/clients.js';
import { AuthorizationCodeRepository } from './repos/codes.js';
import { ConsentRepository } from './repos/consents.js';
import { EventRepository } from './repos/events.js';
import { GrantRepository } from './repos/grants.js';
import { InteractionRepository } from './repos/interactions.js';
import { LoginAttemptRepository } from './repos/login-attempts.js';
import { MailOutboxRepository } from './repos/mail-outbox.js';
import { MembershipRepository } from './repos/memberships.js';
import { OrganizationRoleRepository } from './repos/organization-roles.js';
import { OrganizationRepository } from './repos/organizations.js';
import { PasskeyRepository } from './repos/passkeys.js';
import { PasswordResetRepository } from './repos/password-resets.js';
import { RateLimitRepository } from './repos/rate-limits.js';
import { RefreshTokenRepository } from './repos/refresh-tokens.js';
import { SessionRepository } from './repos/sessions.js';
import { UserRepository } from './repos/users.js';
import { MfaPolicyRepository, RecoveryCodeRepository, TotpFactorRepository } from './repos/second-factors.js';
import { WebhookRepository } from './repos/webhooks.js';
import { WalletChallengeRepository } from './repos/wallet-challenges.js';
import { WalletRepository } from './repos/wallets.js';
import { RevocationFeedRepository } from './repos/revocation-feed.js';
import { LinkedIdentityRepository } from './repos/linked-identities.js';
import { UpstreamFlowRepository } from './repos/upstream-flows.js';
import { UpstreamProviderRepository } from './repos/upstream-providers.js';
import { OrganizationSsoRepository } from './repos/organization-sso.js';
import type { Database } from './schema.js';

export interface Repos {
  /** The database or transaction these run on, for reads of no repository's (claim sources). */
  db: Kysely<Database>;
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
  loginAttempts: LoginAttemptRepository;
  organizations: OrganizationRepository;
  organizationRoles: OrganizationRoleRepository;
  memberships: MembershipRepository;
  passwordResets: PasswordResetRepository;
  /** Proof-of-work solutions already used (abuse/). */
  spentChallenges: SpentChallengeRepository;
  /** Sign-in codes mailed for interactions (abuse/). */
  emailCodes: EmailCodeRepository;
  mailOutbox: MailOutboxRepository;
  events: EventRepository;
  adminRoles: AdminRoleRepository;
  idempotencyKeys: IdempotencyKeyRepository;
  consoleSetupLinks: ConsoleSetupLinkRepository;
  eventStats: EventStatsRepository;
  /** Second factors (migration 025): authenticator apps, recovery codes, the organizations' and clients' policies. */
  totpFactors: TotpFactorRepository;
  recoveryCodes: RecoveryCodeRepository;
  mfaPolicies: MfaPolicyRepository;
  emailVerifications: EmailVerificationRepository;
  /** Why users closed their accounts (account/close.ts). */
  accountClosures: AccountClosureRepository;
  passkeys: PasskeyRepository;
  webhooks: WebhookRepository;
  wallets: WalletRepository;
  walletChallenges: WalletChallengeRepository;
  /** Revoked grants and access tokens in revocation order, for resource servers (endpoints/revocation-feed.ts). */
  revocationFeed: RevocationFeedRepository;
  /** Federation (migration 035): upstream providers, linked identities, sign-ins in flight upstream. */
  upstreamProviders: UpstreamProviderRepository;
  linkedIdentities: LinkedIdentityRepository;
  upstreamFlows: UpstreamFlowRepository;
  organizationSso: OrganizationSsoRepository;
}

/**
 * Repositories of one issuer over a database or a transaction (a Transaction is a Kysely too):
 * each reads and writes that issuer's rows and no other's. Clients come
 * from `clientCache` when one is given (the server's root repositories on PostgreSQL).
 */
export function createRepos(db: Kysely<Database>, clock: Clock, issuer: string, clientCache?: ClientCache): Repos {
  return {
    db,
    clients: new ClientRepository(db, clock, issuer, clientCache),
    users: new UserRepository(db, clock, issuer),
    sessions: new SessionRepository(db, clock, issuer),
    interactions: new InteractionRepository(db, clock, issuer),
    codes: new AuthorizationCodeRepository(db, clock, issuer),
    grants: new GrantRepository(db, clock, issuer),
    refreshTokens: new RefreshTokenRepository(db, clock, issuer),
    accessTokenRevocations: new AccessTokenRevocationRepository(db, clock, issuer),
    consents: new ConsentRepository(db, clock, issuer),
    rateLimits: new RateLimitRepository(db, clock, issuer),
    loginAttempts: new LoginAttemptRepository(db, clock, issuer),
    organizations: new OrganizationRepository(db, clock, issuer),
    organizationRoles: new OrganizationRoleRepository(db, clock, issuer),
    memberships: new MembershipRepository(db, clock, issuer),
    passwordResets: new PasswordResetRepository(db, clock, issuer),
    spentChallenges: new SpentChallengeRepository(db, clock, issuer),
    emailCodes: new EmailCodeRepository(db, clock, issuer),
    mailOutbox: new MailOutboxRepository(db, clock, issuer),
    events: new EventRepository(db, clock, issuer),
    adminRoles: new AdminRoleRepository(db, clock, issuer),
    idempotencyKeys: new IdempotencyKeyRepository(db, clock, issuer),
    consoleSetupLinks: new ConsoleSetupLinkRepository(db, clock, issuer),
    accountClosures: new AccountClosureRepository(db, clock, issuer),
    eventStats: new EventStatsRepository(db, clock, issuer),
    totpFactors: new TotpFactorRepository(db, clock, issuer),
    recoveryCodes: new RecoveryCodeRepository(db, clock, issuer),
    mfaPolicies: new MfaPolicyRepository(db, issuer),
    emailVerifications: new EmailVerificationRepository(db, clock, issuer),
    passkeys: new PasskeyRepository(db, clock, issuer),
    webhooks: new WebhookRepository(db, clock, issuer),
    wallets: new WalletRepository(db, clock, issuer),
    walletChallenges: new WalletChallengeRepository(db, clock, issuer),
    revocationFeed: new RevocationFeedRepository(db, clock, issuer),
    upstreamProviders: new UpstreamProviderRepository(db, clock, issuer),
    linkedIdentities: new LinkedIdentityRepository(db, clock, issuer),
    upstreamFlows: new UpstreamFlowRepository(db, clock, issuer),
    organizationSso: new OrganizationSsoRepository(db, clock, issuer),
  };
}
