// The HTTP layer's ceiling: Gatehouse's stack (Hono on @hono/node-server, same server timeouts)
// answering 'ok', with nothing else. Env: PORT.
import { Hono } from 'hono';
import { serveLikeGatehouse } from './hono-serve.mjs';

const app = new Hono();
app.get('/', (c) => c.text('ok'));
app.get('/readyz', (c) => c.json({ status: 'ready' }));
serveLikeGatehouse(app);
