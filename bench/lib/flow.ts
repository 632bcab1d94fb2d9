/**
 * A browser-and-client in a few lines, on an undici Pool: a cookie jar, the authorization-code
 * flow with PKCE (authorize → login form → POST credentials → redirects → code → token), and
 * the virtual-user loop that multi-step scenarios run.
 */
import crypto from 'node:crypto';
import { Pool } from 'undici';
import { percentile } from './metrics.js';
import { type BenchUser, type Target, basicAuth } from './target.js';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function pool(t: Target, connections: number): Pool {
  return new Pool(t.origin, { connections, pipelining: 1, keepAliveTimeout: 4000 });
}

export async function send(p: Pool, method: 'GET' | 'POST', path: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  const res = await p.request({
    method,
    path,
    headers: body === undefined ? headers : { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
}

/** Cookies by name and path; enough for the two providers' interaction and session cookies. */
class Jar {
  private cookies = new Map<string, { name: string; value: string; path: string }>();

  take(setCookie: string | string[] | undefined): void {
    for (const line of typeof setCookie === 'string' ? [setCookie] : (setCookie ?? [])) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let cookiePath = '/';
      let gone = value === '';
      for (const attr of attrs) {
        const [k = '', v = ''] = attr.split('=').map((s) => s.trim());
        if (k.toLowerCase() === 'path') cookiePath = v || '/';
        if (k.toLowerCase() === 'max-age' && Number(v) <= 0) gone = true;
        if (k.toLowerCase() === 'expires' && Date.parse(v) < Date.now()) gone = true;
      }
      const key = `${name}\u0000${cookiePath}`;
      if (gone) this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path: cookiePath });
    }
  }

  header(path: string): Record<string, string> {
    const pathname = path.split('?')[0] ?? path;
    const matching = [...this.cookies.values()].filter((c) => pathname === c.path || pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`));
    return matching.length ? { cookie: matching.map((c) => `${c.name}=${c.value}`).join('; ') } : {};
  }
}

const decode = (s: string): string =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&quot;/g, '"');

/** The first form of a page: its action and its hidden inputs. */
function firstForm(html: string): { action: string; fields: URLSearchParams } {
  const start = html.indexOf('<form');
  const end = html.indexOf('</form>', start);
  if (start < 0 || end < 0) throw new Error(`no form on the page: ${html.slice(0, 200)}`);
  const form = html.slice(start, end);
  const action = /action="([^"]*)"/.exec(form)?.[1];
  if (!action) throw new Error('the form has no action');
  const fields = new URLSearchParams();
  for (const [input] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = /\bname="([^"]*)"/.exec(input)?.[1];
    if (name && /\btype="hidden"/.test(input)) fields.set(name, decode(/\bvalue="([^"]*)"/.exec(input)?.[1] ?? ''));
  }
  return { action: decode(action), fields };
}

export interface Tokens {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
}

export function tokenRequest(p: Pool, t: Target, params: Record<string, string>): Promise<Reply> {
  return send(p, 'POST', t.endpoints.token, { authorization: basicAuth(t) }, new URLSearchParams(params).toString());
}

/** One whole sign-in, as a first-party app and a fresh browser would do it; returns the tokens. */
export async function authorizationCodeFlow(p: Pool, t: Target, user: BenchUser, scope: string): Promise<Tokens> {
  const verifier = crypto.randomBytes(32).toString('base64url');
  const state = crypto.randomBytes(16).toString('base64url');
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: t.clientId,
    redirect_uri: t.redirectUri,
    scope,
    state,
    nonce: crypto.randomBytes(16).toString('base64url'),
    code_challenge: crypto.createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  });
  const jar = new Jar();
  const visit = async (method: 'GET' | 'POST', path: string, body?: string): Promise<Reply> => {
    const reply = await send(p, method, path, jar.header(path), body);
    jar.take(reply.headers['set-cookie']);
    return reply;
  };
  let reply = await visit('GET', `${t.endpoints.authorize}?${query}`);
  let path = t.endpoints.authorize;
  let loggedIn = false;
  for (let hop = 0; hop < 10; hop++) {
    const location = reply.headers.location;
    if (reply.status >= 300 && reply.status < 400 && typeof location === 'string') {
      const next = new URL(location, t.origin + path);
      if (next.href.startsWith(t.redirectUri)) {
        const error = next.searchParams.get('error');
        if (error) throw new Error(`authorization error: ${error} ${next.searchParams.get('error_description') ?? ''}`);
        if (next.searchParams.get('state') !== state) throw new Error('state mismatch');
        const code = next.searchParams.get('code');
        if (!code) throw new Error('no code in the redirect');
        const token = await tokenRequest(p, t, { grant_type: 'authorization_code', code, redirect_uri: t.redirectUri, code_verifier: verifier });
        if (token.status !== 200) throw new Error(`token endpoint answered ${token.status}: ${token.body.slice(0, 300)}`);
        return JSON.parse(token.body) as Tokens;
      }
      if (next.origin !== t.origin) throw new Error(`redirected off the provider to ${next.origin}`);
      path = next.pathname + next.search;
      reply = await visit('GET', path);
    } else if (reply.status === 200 && !loggedIn && reply.body.includes('<form')) {
      const form = firstForm(reply.body);
      form.fields.set('email', user.email);
      form.fields.set('password', user.password);
      path = new URL(form.action, t.origin + path).pathname;
      loggedIn = true;
      reply = await visit('POST', path, form.fields.toString());
    } else {
      throw new Error(`unexpected ${reply.status} at ${path}: ${reply.body.slice(0, 300)}`);
    }
  }
  throw new Error('too many redirects');
}

export interface LoopResult {
  count: number;
  errors: number;
  firstError?: string;
  elapsedS: number;
  p50: number;
  p99: number;
}

/**
 * Runs `vus` virtual users, each repeating `iteration` back to back until `seconds` have passed
 * (an iteration under way then finishes). Latency is per iteration, in milliseconds.
 */
export async function runVirtualUsers(vus: number, seconds: number, iteration: (vu: number) => Promise<void>): Promise<LoopResult> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: vus }, async (_, vu) => {
      while (performance.now() < deadline) {
        const start = performance.now();
        try {
          await iteration(vu);
          latencies.push(performance.now() - start);
        } catch (error) {
          errors++;
          firstError ??= (error as Error).message;
          // Any error fails the run; this virtual user stops rather than spin on a broken chain.
          return;
        }
      }
    }),
  );
  const elapsedS = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return { count: latencies.length, errors, firstError, elapsedS, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}
