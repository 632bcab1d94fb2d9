// A server that only checks passwords: Gatehouse's HTTP stack answering each request with one
// argon2id verification through Gatehouse's own password code (auth/password.ts: its threads,
// as many hashes at once as Gatehouse). What a password login costs at the least when both
// cores hash; the bench's reference for the login rows. Run with `--import tsx`. Env: PORT.
import { Hono } from 'hono';
import { hashPassword, verifyPassword } from '../../packages/server/src/auth/password.js';
import { serveLikeGatehouse } from './hono-serve.mjs';

const PASSWORD = 'correct horse battery staple';
const stored = await hashPassword(PASSWORD);

const app = new Hono();
app.post('/', async (c) => ((await verifyPassword(stored, PASSWORD)) ? c.text('ok') : c.text('wrong', 401)));
app.get('/readyz', (c) => c.json({ status: 'ready' }));
serveLikeGatehouse(app);
