/**
 * `npm run bench:revocation`: how long a revoked grant stays usable at a resource server that
 * checks access tokens locally with @gatehouse/client, (1) polling the revocation feed and (2)
 * receiving Gatehouse's webhooks. Gatehouse runs as its own process (bench/servers/gatehouse.ts);
 * the resource server runs here on loopback and serves requests the whole time. Each grant is
 * revoked through RFC 7009; its token is then sent to both resource servers every PROBE_MS
 * until each answers 401. Latency is from the revocation's 200 to the first 401.
 *
 *   npm run bench:revocation
 *   BENCH_GRANTS=100 BENCH_POLL_INTERVAL=2 BENCH_REVOKE_EVERY_MS=250 npm run bench:revocation
 *   BENCH_DATABASE_URL=postgres://… npm run bench:revocation     # Gatehouse on PostgreSQL
 */
import http from 'node:http';
import { Pool } from 'undici';
import { BearerTokenError, createResourceServer, createRevocationFeed, createRevocationWebhook } from '../packages/client/src/index.js';
import { type Tokens, authorizationCodeFlow } from './lib/flow.js';
import { percentile } from './lib/metrics.js';
import { table } from './lib/report.js';
import { freePort } from './lib/spawn.js';
import { CLIENT_SCOPES, basicAuth, sleep } from './lib/target.js';
import { startGatehouse } from './servers/gatehouse.js';

const GRANTS = Number(process.env.BENCH_GRANTS ?? 60);
const POLL_INTERVAL = Number(process.env.BENCH_POLL_INTERVAL ?? 2);
const REVOKE_EVERY_MS = Number(process.env.BENCH_REVOKE_EVERY_MS ?? 300);
const PROBE_MS = 10;
const LOAD_LOOPS = 4;
const GIVE_UP_MS = 30_000;

const log = (s: string): void => {
  process.stderr.write(`[bench:revocation] ${s}\n`);
};

type Mode = 'polled' | 'hooked';

async function main(): Promise<void> {
  const rsPort = await freePort();
  const rsOrigin = `http://127.0.0.1:${rsPort}`;
  log('starting Gatehouse');
  const target = await startGatehouse({
    postgresUrl: process.env.BENCH_DATABASE_URL,
    webhook: { url: `${rsOrigin}/hooks/revocations`, events: 'grant.revoked,access_token.revoked' },
  });
  const feed = createRevocationFeed({
    issuerUrl: target.origin,
    clientId: target.clientId,
    clientSecret: target.clientSecret,
    intervalSeconds: POLL_INTERVAL,
    onError: (e) => log(`feed poll failed: ${String(e)}`),
  });
  const hook = createRevocationWebhook({ secret: target.webhookSecret as string, issuerUrl: target.origin });
  const servers: Record<Mode, ReturnType<typeof createResourceServer>> = {
    polled: createResourceServer({ issuerUrl: target.origin, audience: target.origin, revocations: feed }),
    hooked: createResourceServer({ issuerUrl: target.origin, audience: target.origin, revocations: hook }),
  };
  const served: Record<Mode, number> = { polled: 0, hooked: 0 };
  const deliveries = { taken: 0, refused: 0 };

  const rs = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
    if (req.url === '/hooks/revocations') {
      const answer = await hook.handle(new Request(`${rsOrigin}${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) }));
      if (answer.status === 204) deliveries.taken++;
      else deliveries.refused++;
      res.writeHead(answer.status).end();
      return;
    }
    const mode = req.url?.split('/')[1] as Mode;
    const server = servers[mode];
    if (!server) return void res.writeHead(404).end();
    served[mode]++;
    try {
      await server.verify(new Request(`${rsOrigin}${req.url}`, { headers }));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    } catch (error) {
      const status = error instanceof BearerTokenError ? error.status : 500;
      res.writeHead(status).end();
    }
  });
  await new Promise<void>((resolve) => rs.listen(rsPort, '127.0.0.1', resolve));
  const rsPool = new Pool(rsOrigin, { connections: 32, pipelining: 1 });
  const provider = new Pool(target.origin, { connections: 4, pipelining: 1 });
  const ask = async (mode: Mode, token: string): Promise<number> => {
    const res = await rsPool.request({ method: 'GET', path: `/${mode}/payments`, headers: { authorization: `Bearer ${token}` } });
    await res.body.text();
    return res.statusCode;
  };

  try {
    log(`signing in ${GRANTS + 1} grants`);
    const grants: Tokens[] = [];
    for (let i = 0; i <= GRANTS; i += 2) {
      const batch = await Promise.all(
        [i, i + 1]
          .filter((n) => n <= GRANTS)
          .map((n) => authorizationCodeFlow(provider, target, target.users[n % target.users.length] as (typeof target.users)[number], CLIENT_SCOPES)),
      );
      grants.push(...batch);
    }
    const keeper = grants.pop() as Tokens;
    feed.start();
    await feed.refresh();
    for (const mode of ['polled', 'hooked'] as const) {
      if ((await ask(mode, keeper.access_token)) !== 200) throw new Error(`the ${mode} resource server refuses a good token`);
    }

    // Requests with a live token the whole time: the resource servers are serving while grants are revoked.
    let loading = true;
    const loads = Array.from({ length: LOAD_LOOPS }, async (_, i) => {
      const mode: Mode = i % 2 === 0 ? 'polled' : 'hooked';
      while (loading) if ((await ask(mode, keeper.access_token)) !== 200) throw new Error('a live token was refused');
    });

    const latencies: Record<Mode, number[]> = { polled: [], hooked: [] };
    const timeouts: Record<Mode, number> = { polled: 0, hooked: 0 };
    const probe = async (mode: Mode, token: string, since: number): Promise<void> => {
      while (performance.now() - since < GIVE_UP_MS) {
        if ((await ask(mode, token)) === 401) {
          latencies[mode].push(performance.now() - since);
          return;
        }
        await sleep(PROBE_MS);
      }
      timeouts[mode]++;
    };
    const started = performance.now();
    const servedBefore = { ...served };
    const probes: Promise<void>[] = [];
    log(`revoking ${grants.length} grants, one every ${REVOKE_EVERY_MS} ms; feed polled every ${POLL_INTERVAL} s`);
    for (const tokens of grants) {
      const token = tokens.refresh_token ?? tokens.access_token;
      const res = await provider.request({
        method: 'POST',
        path: target.endpoints.token.replace(/\/token$/, '/revoke'),
        headers: { authorization: basicAuth(target), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token }).toString(),
      });
      await res.body.text();
      if (res.statusCode !== 200) throw new Error(`revocation answered ${res.statusCode}`);
      const at = performance.now();
      probes.push(probe('polled', tokens.access_token, at), probe('hooked', tokens.access_token, at));
      await sleep(REVOKE_EVERY_MS);
    }
    await Promise.all(probes);
    loading = false;
    await Promise.all(loads);
    const seconds = (performance.now() - started) / 1000;

    const row = (mode: Mode, how: string): (string | number)[] => {
      const sorted = [...latencies[mode]].sort((a, b) => a - b);
      const ms = (p: number): string => `${Math.round(percentile(sorted, p))} ms`;
      return [
        how,
        sorted.length,
        ms(50),
        ms(99),
        `${Math.round(sorted.at(-1) ?? Number.NaN)} ms`,
        timeouts[mode],
        Math.round((served[mode] - servedBefore[mode]) / seconds),
      ];
    };
    process.stdout.write(
      `\n### Revoke-to-refusal latency (${target.label})\n\n${table(
        ['Resource server learns by', 'revocations', 'p50', 'p99', 'max', 'not refused in 30 s', 'requests/s served meanwhile'],
        [row('polled', `polling the feed every ${POLL_INTERVAL} s`), row('hooked', 'webhooks (grant.revoked)')],
      )}\nWebhook deliveries taken: ${deliveries.taken}, refused: ${deliveries.refused}. One revocation every ${REVOKE_EVERY_MS} ms; each revoked token probed every ${PROBE_MS} ms.\n`,
    );
  } finally {
    feed.stop();
    await rsPool.close();
    await provider.close();
    rs.close();
    await target.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
