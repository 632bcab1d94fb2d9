// A server that only checks passwords: Gatehouse's HTTP stack answering each request with one
// argon2id verification, as many at once as Gatehouse runs (auth/password.ts). What a password
// login costs at the least when both cores hash; the bench's reference for the login rows. Env: PORT.
import os from 'node:os';
import { hash, verify } from '@node-rs/argon2';
import { Hono } from 'hono';
import { serveLikeGatehouse } from './hono-serve.mjs';

const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
const stored = await hash('correct horse battery staple', ARGON2);
const slots = Math.min(os.availableParallelism(), (Number(process.env.UV_THREADPOOL_SIZE) || 4) - 1);
const waiting = [];
let running = 0;

async function verifyInSlot() {
  if (running >= slots) await new Promise((resolve) => waiting.push(resolve));
  running++;
  try {
    return await verify(stored, 'correct horse battery staple');
  } finally {
    running--;
    waiting.shift()?.();
  }
}

const app = new Hono();
app.post('/', async (c) => ((await verifyInSlot()) ? c.text('ok') : c.text('wrong', 401)));
app.get('/readyz', (c) => c.json({ status: 'ready' }));
serveLikeGatehouse(app);
