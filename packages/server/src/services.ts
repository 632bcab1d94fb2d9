import { BackgroundTasks } from './background.js';
import type { Config } from './config.js';
import { limitHashThreads, setPasswordCost } from './auth/password.js';
import { Cookies } from './http/cookies.js';
import { type Logger, createLogger } from './log.js';
import { createMailer } from './mail/mailer.js';
import { MailOutbox } from './mail/outbox.js';
import { RESET_MAIL, resetMailKind } from './password/reset-links.js';
import { type Clock, systemClock } from './store/clock.js';
import { ClientCache } from './store/client-cache.js';
import { type ClientNotifications, listenForClientChanges } from './store/client-notifications.js';
import { SqliteClientCache } from './store/sqlite-client-cache.js';
import { type Store, openStore } from './store/db.js';
import { migrate } from './store/migrate.js';
import { type Repos, createRepos } from './store/repos.js';
import { TokenIssuer } from './tokens/issuer.js';
import { KeyStore, keyTiming } from './tokens/keys.js';
import { SecretBox, resolveSecret } from './tokens/secret.js';

/** Everything a request handler or command needs, built once per process. */
export interface Services {
  config: Config;
  store: Store;
  repos: Repos;
  keys: KeyStore;
  issuer: TokenIssuer;
  clock: Clock;
  logger: Logger;
  cookies: Cookies;
  /** Secret-derived key for values Gatehouse signs itself (e.g. logout confirmation tokens). */
  box: SecretBox;
  /** Mail to send; undefined when GATEHOUSE_SMTP_URL is not set (password reset is off). */
  outbox: MailOutbox | undefined;
  /** Work started by a request and not waited for (mail); close() lets it finish. */
  background: BackgroundTasks;
  /** Runs `fn` in one database transaction, with repositories bound to it. */
  transaction<T>(fn: (repos: Repos) => Promise<T>): Promise<T>;
  /** The client cache's listening connection, when there is one. */
  clientNotifications: ClientNotifications | undefined;
  /** Set on shutdown: /readyz fails first so load balancers stop sending work. */
  state: { draining: boolean };
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
}

/**
 * A client cache, when this process should have one: on PostgreSQL with its listening
 * connection, on a SQLite file checked against the file's data_version.
 */
function startClientCache(config: Config, store: Store, options: ServiceOptions, logger: Logger): { cache: ClientCache; notifications?: ClientNotifications } | undefined {
  if (!options.clientCache || !config.clientCache) return undefined;
  if (store.backend === 'sqlite') return store.dataVersion ? { cache: new SqliteClientCache(store.dataVersion) } : undefined;
  const cache = new ClientCache();
  return { cache, notifications: listenForClientChanges(options.clientCache.url ?? config.databaseUrl, cache, { logger }) };
}

export async function createServices(config: Config, options: ServiceOptions = {}): Promise<Services> {
  const clock = options.clock ?? systemClock;
  limitHashThreads(config.hashThreads);
  setPasswordCost(config.passwordCost);
  const store = options.store ?? openStore(config.databaseUrl, { max: config.databasePoolSize });
  try {
    await migrate(store.db);
    const secret = resolveSecret(config);
    const keys = new KeyStore(
      store.db,
      new SecretBox(secret, 'signing-keys'),
      clock,
      Math.max(config.accessTokenTtl, config.idTokenTtl),
      keyTiming(config.keyPublishLead),
    );
    await keys.ensureKeys();
    const logger = options.logger ?? createLogger();
    const clients = startClientCache(config, store, options, logger);
    const background = new BackgroundTasks(logger);
    let closing: Promise<void> | undefined;
    const repos = createRepos(store.db, clock, clients?.cache);
    const services: Services = {
      config,
      store,
      repos,
      keys,
      issuer: new TokenIssuer(config, keys, clock),
      clock,
      logger,
      cookies: new Cookies(config),
      box: new SecretBox(secret, 'page-tokens'),
      outbox: undefined,
      background,
      transaction: (fn) => store.db.transaction().execute((trx) => fn(createRepos(trx, clock))),
      state: { draining: false },
      clientNotifications: clients?.notifications,
      close: () => (closing ??= (async () => {
        services.outbox?.stop();
        await background.settled();
        await clients?.notifications?.close();
        await store.close();
      })()),
    };
    if (config.mail) {
      const mailer = createMailer(config.mail);
      services.outbox = new MailOutbox(repos.mailOutbox, clock, logger, background, { [RESET_MAIL]: resetMailKind(services, mailer) });
    }
    return services;
  } catch (error) {
    await store.close();
    throw error;
  }
}
