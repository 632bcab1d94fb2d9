import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type PrivatePostgres, createPrivatePostgres } from '../helpers/private-postgres.js';
import { type GatehouseProcess, startGatehouse } from '../helpers/process.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { createServices } from '../../src/services.js';
import { TEST_REDIRECT_URI, TEST_SECRET } from '../helpers/harness.js';
import { pkcePair } from '../helpers/pkce.js';
import { RemoteClient } from '../helpers/remote-client.js';
import { until } from '../helpers/wait.js';

// The database going away must never look like bad credentials or a dead grant to clients.
describe('PostgreSQL outage', () => {
  let pg: PrivatePostgres;
  let server: GatehouseProcess;
  before(async () => {
    pg = await createPrivatePostgres();
    server = await startGatehouse({ GATEHOUSE_DATABASE_URL: pg.url, GATEHOUSE_SECRET: TEST_SECRET });
  });
  after(async () => {
    await server?.stop();
    pg?.destroy();
  });

  it('answers 503 with Retry-After while the database is down, and recovers by itself', async () => {
    const form = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    const tokenRequest = (): Promise<Response> =>
      fetch(`${server.base}/oauth/token`, { ...form, body: 'grant_type=client_credentials&client_id=unknown&client_secret=x' });
    assert.equal((await tokenRequest()).status, 401, 'database up: an unknown client is invalid_client');

    pg.stop();
    // Under load: many requests while the database is gone.
    const during = await Promise.all(Array.from({ length: 20 }, () => tokenRequest()));
    for (const res of during) {
      assert.equal(res.status, 503);
      assert.ok(res.headers.get('retry-after'));
      const body = (await res.json()) as { error: string };
      assert.equal(body.error, 'temporarily_unavailable');
    }
    assert.equal((await fetch(`${server.base}/readyz`)).status, 503);
    assert.equal((await fetch(`${server.base}/healthz`)).status, 200);

    pg.start();
    await until(async () => (await fetch(`${server.base}/readyz`)).status === 200, 'the server is ready again', { intervalMs: 200, detail: server.output });
    assert.equal((await tokenRequest()).status, 401);
  });

  it('never turns an outage into invalid_grant: a refresh token refused during it still works after', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-outage-'));
    const services = await createServices(loadConfig({ GATEHOUSE_DATABASE_URL: pg.url, GATEHOUSE_SECRET: TEST_SECRET, GATEHOUSE_DATA_DIR: dataDir }), {
      logger: silentLogger,
    });
    const { repos } = await services.scopes.defaultScope();
    const { client, secret } = await repos.clients.create({
      name: 'Outage',
      redirectUris: [TEST_REDIRECT_URI],
      grantTypes: ['authorization_code', 'refresh_token'],
      scopes: ['openid'],
      isPublic: false,
      firstParty: true,
    });
    const user = await repos.users.create({ email: 'outage@example.com', passwordHash: null });
    const { verifier, challenge } = pkcePair();
    const code = await repos.codes.create(
      {
        clientId: client.id,
        userId: user.id,
        redirectUri: TEST_REDIRECT_URI,
        codeChallenge: challenge,
        scope: 'openid',
        nonce: null,
        sid: null,
        authTime: services.clock(),
        resource: null,
      },
      60,
    );
    await services.close();
    const remote = new RemoteClient(client.id, secret as string);
    const exchanged = await remote.token(server.base, { grant_type: 'authorization_code', code, redirect_uri: TEST_REDIRECT_URI, code_verifier: verifier });
    assert.equal(exchanged.status, 200);
    const { refresh_token: refreshToken } = (await exchanged.json()) as { refresh_token: string };

    pg.stop();
    const during = await Promise.all(Array.from({ length: 10 }, () => remote.refresh(server.base, refreshToken)));
    for (const res of during) {
      assert.equal(res.status, 503, 'a client must retry, not discard its token');
      assert.ok(res.headers.get('retry-after'));
    }
    const page = await fetch(`${server.base}/oauth/authorize?client_id=${client.id}`);
    assert.equal(page.status, 503);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);

    pg.start();
    await until(async () => (await fetch(`${server.base}/readyz`)).status === 200, 'the server is ready again', { intervalMs: 200, detail: server.output });
    assert.equal((await remote.refresh(server.base, refreshToken)).status, 200, 'the token survived the outage');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
