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
  /** Gatehouse, on 127.0.0.1 (its own cookie host). */
  issuer: string;
  ctx: TestContext;
  /** The app, as http://localhost:<port> (a different cookie host from Gatehouse). */
  appUrl: string;
  config: ExampleConfig;
  clientId: string;
  clientSecret: string;
  store: session.MemoryStore;
  /** What the app logged (sign-in failures and the like). */
  logs: string[];
  newUser(): Promise<User>;
  close(): Promise<void>;
}

/**
 * A real Gatehouse (in-process, HTTP on 127.0.0.1) with the app registered as a third-party
 * client exactly like `npm run example` registers it, and the app listening on localhost.
 */
export async function startStack(gatehouseEnv: Record<string, string> = {}): Promise<Stack> {
  // Listen first: the app's URL (redirect URI, audience) depends on the port it gets.
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const appUrl = `http://localhost:${(server.address() as AddressInfo).port}`;
  const live = await startLiveServer(gatehouseEnv);
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
  const config = loadConfig({
    GATEHOUSE_ISSUER: live.issuer,
    GATEHOUSE_CLIENT_ID: client.id,
    GATEHOUSE_CLIENT_SECRET: secret ?? '',
    GATEHOUSE_REDIRECT_URI: `${appUrl}${CALLBACK_PATH}`,
    EXAMPLE_SESSION_SECRET: 'test-session-secret-test-session-secret',
  });
  const store = new session.MemoryStore();
  const logs: string[] = [];
  // The SDK and the demo API share Gatehouse's test clock, so moving time moves it everywhere.
  const app = createExampleApp(config, { clock: live.ctx.clock, sessionStore: store, log: (m) => logs.push(m) });
  server.on('request', app);
  let users = 0;
  return {
    issuer: live.issuer,
    ctx: live.ctx,
    appUrl,
    config,
    clientId: client.id,
    clientSecret: secret ?? '',
    store,
    logs,
    newUser: () => createTestUser(live.ctx, `ada-${++users}-${Date.now()}@example.com`, PASSWORD),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await live.close();
    },
  };
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
