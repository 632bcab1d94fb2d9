import { BackgroundTasks } from './background.js';
import type { Config } from './config.js';
import { limitHashThreads, setPasswordCost } from './auth/password.js';
import { type Logger, createLogger } from './log.js';
import { createMailer } from './mail/mailer.js';
import { MAIL_CONSUMER, MailOutbox } from './mail/outbox.js';
import { RESET_MAIL, resetMailKind } from './password/reset-links.js';
import { INVITE_MAIL, invitationMailKind } from './password/invitations.js';
import { FACTOR_MAIL, factorMailKind } from './factors/changes.js';
import { signUpMailKinds } from './signup/mails.js';
import { PASSKEY_MAIL, passkeyMailKind } from './passkeys/mail.js';
import { WALLET_MAIL, walletMailKind } from './wallets/mail.js';
import { EMAIL_CODE_MAIL, emailCodeMailKind } from './abuse/email-code-mail.js';
import { type Clock, systemClock } from './store/clock.js';
import { ClientCache } from './store/client-cache.js';
import { type ClientNotifications, listenForClientChanges } from './store/client-notifications.js';
import { SqliteClientCache } from './store/sqlite-client-cache.js';
import { type Store, openStore } from './store/db.js';
import { migrate } from './store/migrate.js';
import { Metrics } from './metrics.js';
import { startupConfigError } from './startup-errors.js';
import { DEFAULT_ISSUER_ID } from './issuers/ids.js';
import type { IssuerScope } from './issuers/scope.js';
import { IssuerScopes } from './issuers/scopes.js';
import { EventDeliveryRepository } from './store/repos/event-deliveries.js';
import { MailOutboxRepository } from './store/repos/mail-outbox.js';
import { type KeyPairMaker, generateSigningKeyPair } from './tokens/keys.js';
import { SecretBox, resolveSecret } from './tokens/secret.js';
import { WEBHOOK_DISABLED_MAIL, webhookDisabledMailKind } from './webhooks/disabled-mail.js';
import { WebhookDispatcher } from './webhooks/dispatcher.js';
import { BackchannelLogouts } from './logout/backchannel.js';

/**
 * What the process has once, whatever the issuer: configuration, database, clock, logger,
 * outbox. Everything that belongs to an issuer comes from its scope (issuers/scope.ts), which
 * `scopes` resolves per request; there is no global issuer.
 */
export interface Services {
  config: Config;
  store: Store;
  /** The issuers of this deployment and the cached scopes of those in use. */
  scopes: IssuerScopes;
  clock: Clock;
  logger: Logger;
  /** The process's Prometheus metrics (metrics.ts); counted always, served when configured. */
  metrics: Metrics;
  /** Clients cached for the server's own reads (undefined in one-off commands and transactions). */
  clientCache: ClientCache | undefined;
  /** Secret-derived key for values Gatehouse signs itself (e.g. logout confirmation tokens). */
  box: SecretBox;
  /** Mail to send; undefined when GATEHOUSE_SMTP_URL is not set (password reset is off). */
  outbox: MailOutbox | undefined;
  /** Webhook deliveries (webhooks/dispatcher.ts); the server starts it, one-off commands only queue. */
  webhooks: WebhookDispatcher;
  /** Back-channel logout tokens to deliver (logout/backchannel.ts); the server starts it, as webhooks. */
  backchannel: BackchannelLogouts;
  /** Work started by a request and not waited for (mail); close() lets it finish. */
  background: BackgroundTasks;
  /** The client cache's listening connection, when there is one. */
  clientNotifications: ClientNotifications | undefined;
  /** Set on shutdown: /readyz fails first so load balancers stop sending work. */
  state: { draining: boolean };
  /** Makes the key pairs of new signing keys (tokens/keys.ts). */
  keyPairs: KeyPairMaker;
  close(): Promise<void>;
}

export interface ServiceOptions {
  clock?: Clock;
  logger?: Logger;
  /** An already open store (tests); otherwise config.databaseUrl is opened. */
  store?: Store;
  /**
   * Cache clients (when config.clientCache): the server does, one-off commands
   * do not. The listening connection goes to `url` (default config.databaseUrl).
   */
  clientCache?: { url?: string };
  /** Do not create the default issuer's keys when it has none (`gatehouse doctor` only looks). */
  keepKeys?: boolean;
  /** How new signing keys get their key pairs (default: generated; tests hand out pre-made ones). */
  keyPairs?: KeyPairMaker;
}

/**
 * A client cache, when this process should have one: on PostgreSQL with its listening
 * connection, on a SQLite file checked against the file's data_version.
 */
function startClientCache(
  config: Config,
  store: Store,
  options: ServiceOptions,
  logger: Logger,
): { cache: ClientCache; notifications?: ClientNotifications } | undefined {
  if (!options.clientCache || !config.clientCache) return undefined;
  if (store.backend === 'sqlite') return store.dataVersion ? { cache: new SqliteClientCache(store.dataVersion) } : undefined;
  const cache = new ClientCache({ maxAgeMs: config.clientCacheMaxAge * 1000 });
  return { cache, notifications: listenForClientChanges(options.clientCache.url ?? config.databaseUrl, cache, { logger }) };
}

export async function createServices(config: Config, options: ServiceOptions = {}): Promise<Services> {
  const clock = options.clock ?? systemClock;
  limitHashThreads(config.hashThreads);
  setPasswordCost(config.passwordCost);
  const store = options.store ?? openOrExplain(config);
  try {
    let secret: string;
    try {
      await migrate(store.db);
      secret = resolveSecret(config);
    } catch (error) {
      throw startupConfigError(error, config.databaseUrl, config.dataDir, config.databaseExplicit) ?? error;
    }
    const logger = options.logger ?? createLogger(config.logLevel);
    const outboxRepo = config.mail ? new MailOutboxRepository(store.db, clock, DEFAULT_ISSUER_ID) : undefined;
    const metrics = new Metrics({ store, outboxBacklog: outboxRepo && (() => new EventDeliveryRepository(store.db, clock).backlog(MAIL_CONSUMER)) });
    const clients = startClientCache(config, store, options, logger);
    const background = new BackgroundTasks(logger);
    let closing: Promise<void> | undefined;
    const services: Services = {
      config,
      store,
      scopes: undefined as unknown as IssuerScopes,
      clock,
      logger,
      metrics,
      clientCache: clients?.cache,
      box: new SecretBox(secret, 'page-tokens'),
      outbox: undefined,
      webhooks: undefined as unknown as WebhookDispatcher,
      backchannel: undefined as unknown as BackchannelLogouts,
      background,
      state: { draining: false },
      keyPairs: options.keyPairs ?? generateSigningKeyPair,
      clientNotifications: clients?.notifications,
      close: () =>
        (closing ??= (async () => {
          services.outbox?.stop();
          services.webhooks.stop();
          services.backchannel.stop();
          await background.settled();
          await clients?.notifications?.close();
          await store.close();
          logger.flush?.();
        })()),
    };
    services.scopes = new IssuerScopes(services, secret);
    services.webhooks = new WebhookDispatcher(services);
    services.backchannel = new BackchannelLogouts(services);
    if (!options.keepKeys) await (await services.scopes.defaultScope()).keys.ensureKeys();
    if (config.mail && outboxRepo) {
      const mailer = createMailer(config.mail);
      const deliveries = new EventDeliveryRepository(store.db, clock);
      services.outbox = new MailOutbox(outboxRepo, deliveries, clock, logger, background, {
        [RESET_MAIL]: resetMailKind(services, mailer),
        [INVITE_MAIL]: invitationMailKind(services, mailer),
        [FACTOR_MAIL]: factorMailKind(services, mailer),
        ...signUpMailKinds(services, mailer),
        [PASSKEY_MAIL]: passkeyMailKind(services, mailer),
        [WEBHOOK_DISABLED_MAIL]: webhookDisabledMailKind(services, mailer),
        [WALLET_MAIL]: walletMailKind(services, mailer),
        [EMAIL_CODE_MAIL]: emailCodeMailKind(services, mailer),
      });
    }
    return services;
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** Opens the configured database; a folder that cannot be made is told as the setting to change. */
function openOrExplain(config: Config): Store {
  try {
    return openStore(config.databaseUrl, { max: config.databasePoolSize });
  } catch (error) {
    throw startupConfigError(error, config.databaseUrl, config.dataDir, config.databaseExplicit) ?? error;
  }
}

/** The scope of an issuer by id, for commands and background work; throws when there is none. */
export async function scopeOf(services: Services, issuerId: string = DEFAULT_ISSUER_ID): Promise<IssuerScope> {
  const scope = await services.scopes.byId(issuerId);
  if (!scope) throw new UnknownIssuerError(issuerId);
  return scope;
}

export class UnknownIssuerError extends Error {
  constructor(readonly issuerId: string) {
    super(`there is no issuer "${issuerId}" (gatehouse issuer list shows them)`);
    this.name = 'UnknownIssuerError';
  }
}
