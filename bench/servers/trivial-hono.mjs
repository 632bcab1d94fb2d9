// The HTTP layer's ceiling: Gatehouse's stack (Hono on @hono/node-server, same server timeouts)
// answering 'ok', with nothing else. Env: PORT.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.get('/', (c) => c.text('ok'));
app.get('/readyz', (c) => c.json({ status: 'ready' }));
const server = serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
server.headersTimeout = 20_000;
server.requestTimeout = 30_000;
server.keepAliveTimeout = 5_000;
process.on('SIGTERM', () => server.close(() => process.exit(0)));
