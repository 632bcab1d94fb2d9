import net from 'node:net';
import { startServer, type RunningServer } from '../../src/server.js';
import { type TestContext, createTestContext } from './harness.js';
import { issuerAt } from './prefix.js';

/** A port free on 127.0.0.1 when asked, for a server whose URL must be known before it starts. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

/**
 * A test context served over real HTTP on 127.0.0.1, with the issuer set to that address so
 * relying-party libraries see matching URLs; `issuer` is under the test prefix when one is set.
 */
export async function startLiveServer(
  env: Record<string, string> = {},
  // The issuer's host name: WebAuthn needs a domain (localhost), not an IP address, as its RP ID.
  options: { host?: '127.0.0.1' | 'localhost' } = {},
): Promise<{ ctx: TestContext; server: RunningServer; issuer: string; close(): Promise<void> }> {
  const port = await freePort();
  // Under TEST_ISSUER_PREFIX the issuer is served under that path on the port.
  const issuer = issuerAt(`http://${options.host ?? '127.0.0.1'}:${port}`);
  const ctx = await createTestContext({ GATEHOUSE_ISSUER: issuer, ...env });
  // The server closes the services (and the database) when it stops, so the context's own
  // close only has to drop the test database afterwards.
  const server = await startServer(ctx.services, { port, host: '127.0.0.1' });
  return {
    ctx,
    server,
    issuer,
    async close() {
      await server.close();
      await ctx.close().catch(() => {});
    },
  };
}
