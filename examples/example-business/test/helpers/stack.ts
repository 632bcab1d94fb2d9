import http from 'node:http';
import type { AddressInfo } from 'node:net';
import session from 'express-session';
import type { TestContext } from '../../../../packages/server/test/helpers/harness.js';
import { createTestUser } from '../../../../packages/server/test/helpers/harness.js';
import { startLiveServer } from '../../../../packages/server/test/helpers/live-server.js';
import type { User } from '../../../../packages/server/src/store/repos/users.js';
import { createExampleApp } from '../../src/app.js';
import { BACKCHANNEL_LOGOUT_PATH, CALLBACK_PATH, type ExampleConfig, loadConfig } from '../../src/config.js';

export const PASSWORD = 'correct horse battery staple';

export interface Stack {
  /** Gatehouse, on 127.0.0.1 (its own cookie host), or on localhost for WebAuthn. */
  issuer: string;
  ctx: TestContext;
  /** The app, on the other one of localhost and 127.0.0.1 (a different cookie host from Gatehouse). */
  appUrl: string;
  /** The app's configuration (throws before deploy() when registration was left to the test). */
  readonly config: ExampleConfig;
  clientId: string;
  clientSecret: string;
  store: session.MemoryStore;
  /** What the app logged (sign-in failures and the like). */
  logs: string[];
  newUser(): Promise<User>;
  /** Configures the app from a .env as a developer pastes it (a redeploy): a fresh session store. */
  deploy(env: Record<string, string>): void;
  close(): Promise<void>;
}

export interface StackOptions {
  /**
   * Where Gatehouse is served: 127.0.0.1 (the app on localhost), or localhost (the app on
   * 127.0.0.1), which WebAuthn needs as it takes a domain, not an IP address, as its RP ID.
   */
  gatehouseHost?: '127.0.0.1' | 'localhost';
  /** false: the app is not registered and answers 503 until deploy() (the console journey registers it). */
  register?: boolean;
}

/**
 * A real Gatehouse (in-process, HTTP) with the app registered as a third-party client exactly
 * like `npm run example` registers it, and the app listening on the other loopback name.
 */
export async function startStack(gatehouseEnv: Record<string, string> = {}, options: StackOptions = {}): Promise<Stack> {
  const gatehouseHost = options.gatehouseHost ?? '127.0.0.1';
  const appHost = gatehouseHost === 'localhost' ? '127.0.0.1' : 'localhost';
  // Listen first: the app's URL (redirect URI, audience) depends on the port it gets.
  let handler: http.RequestListener = (_req, res) => res.writeHead(503).end('not configured yet');
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const appUrl = `http://${appHost}:${(server.address() as AddressInfo).port}`;
  const live = await startLiveServer(gatehouseEnv, { host: gatehouseHost });
  const logs: string[] = [];
  let users = 0;
  let config: ExampleConfig | undefined;
  const stack: Stack = {
    issuer: live.issuer,
    ctx: live.ctx,
    appUrl,
    get config(): ExampleConfig {
      if (!config) throw new Error('the app is not deployed yet');
      return config;
    },
    clientId: '',
    clientSecret: '',
    store: new session.MemoryStore(),
    logs,
    newUser: () => createTestUser(live.ctx, `ada-${++users}-${Date.now()}@example.com`, PASSWORD),
    deploy(env) {
      config = loadConfig({ EXAMPLE_SESSION_SECRET: 'test-session-secret-test-session-secret', ...env });
      stack.clientId = config.clientId;
      stack.store = new session.MemoryStore();
      // The SDK and the demo API share Gatehouse's test clock, so moving time moves it everywhere.
      handler = createExampleApp(config, { clock: live.ctx.clock, sessionStore: stack.store, log: (m) => logs.push(m) });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await live.close();
    },
  };
  if (options.register === false) return stack;
  const audience = `${appUrl}/api`;
  const { client, secret } = await live.ctx.scope.repos.clients.create({
    name: 'Example Business',
    description: 'Payments for small businesses',
    redirectUris: [`${appUrl}${CALLBACK_PATH}`],
    postLogoutRedirectUris: [`${appUrl}/`],
    backchannelLogoutUri: `${appUrl}${BACKCHANNEL_LOGOUT_PATH}`,
    grantTypes: ['authorization_code', 'refresh_token'],
    scopes: ['openid', 'profile', 'email', 'orders'],
    resources: [audience],
    isPublic: false,
    firstParty: false,
  });
  stack.clientSecret = secret ?? '';
  stack.deploy({
    GATEHOUSE_ISSUER: live.issuer,
    GATEHOUSE_CLIENT_ID: client.id,
    GATEHOUSE_CLIENT_SECRET: secret ?? '',
    GATEHOUSE_REDIRECT_URI: `${appUrl}${CALLBACK_PATH}`,
  });
  return stack;
}

/** Every session in the app's store, as the app wrote it. */
export async function sessions(store: session.MemoryStore): Promise<session.SessionData[]> {
  const all = await new Promise<Record<string, session.SessionData>>((resolve, reject) =>
    store.all((error, found) => (error ? reject(error) : resolve((found ?? {}) as Record<string, session.SessionData>))),
  );
  return Object.values(all);
}

/** The one signed-in session of `sub`. */
export async function sessionOf(store: session.MemoryStore, sub: string): Promise<session.SessionData> {
  const found = (await sessions(store)).filter((s) => s.sub === sub);
  if (found.length !== 1) throw new Error(`expected one session for ${sub}, found ${found.length}`);
  return found[0]!;
}
