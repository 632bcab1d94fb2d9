import type { Config } from './config.js';
import { Cookies } from './http/cookies.js';
import { type Logger, createLogger } from './log.js';
import { type Clock, systemClock } from './store/clock.js';
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
  /** Runs `fn` in one database transaction, with repositories bound to it. */
  transaction<T>(fn: (repos: Repos) => Promise<T>): Promise<T>;
  /** Set on shutdown: /readyz fails first so load balancers stop sending work. */
  state: { draining: boolean };
  close(): Promise<void>;
}

export interface ServiceOptions {
  clock?: Clock;
  logger?: Logger;
  /** An already open store (tests); otherwise config.databaseUrl is opened. */
  store?: Store;
}

export async function createServices(config: Config, options: ServiceOptions = {}): Promise<Services> {
  const clock = options.clock ?? systemClock;
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
    let closing: Promise<void> | undefined;
    return {
      config,
      store,
      repos: createRepos(store.db, clock),
      keys,
      issuer: new TokenIssuer(config, keys, clock),
      clock,
      logger: options.logger ?? createLogger(),
      cookies: new Cookies(config),
      box: new SecretBox(secret, 'page-tokens'),
      transaction: (fn) => store.db.transaction().execute((trx) => fn(createRepos(trx, clock))),
      state: { draining: false },
      close: () => (closing ??= store.close()),
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
