import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GithubUser {
  id: number;
  login: string;
  name: string | null;
  /** The public email of /user (often null). */
  email: string | null;
  emails: { email: string; primary: boolean; verified: boolean }[];
}

export interface GithubLike {
  origin: string;
  users: Map<string, GithubUser>;
  /** Who the next authorization signs in (the login). */
  next: string;
  /** Tokens the test saw handed out: none may reach an app. */
  issued: string[];
  close(): Promise<void>;
}

/**
 * A small app shaped like GitHub's OAuth 2.0 on 127.0.0.1: /login/oauth/authorize (approves at
 * once), /login/oauth/access_token (client_secret_post, checks the PKCE verifier), /user and
 * /user/emails with the bearer token, answering as GitHub does.
 */
export async function startGithubLike(clientId: string, clientSecret: string): Promise<GithubLike> {
  const codes = new Map<string, { login: string; challenge: string; redirectUri: string }>();
  const tokens = new Map<string, string>();
  const app: GithubLike = { origin: '', users: new Map(), next: '', issued: [], close: async () => {} };
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', app.origin);
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/login/oauth/authorize') {
      if (url.searchParams.get('client_id') !== clientId) return json(404, { error: 'unknown client' });
      const code = Math.random().toString(36).slice(2);
      codes.set(code, { login: app.next, challenge: url.searchParams.get('code_challenge') ?? '', redirectUri: url.searchParams.get('redirect_uri') ?? '' });
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { location: back.href });
      return res.end();
    }
    if (url.pathname === '/login/oauth/access_token' && req.method === 'POST') {
      let body = '';
      for await (const chunk of req) body += chunk;
      const form = new URLSearchParams(body);
      const issued = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (!issued || form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret || challenge !== issued.challenge) {
        return json(200, { error: 'bad_verification_code' });
      }
      const token = `gho_${Math.random().toString(36).slice(2)}`;
      tokens.set(token, issued.login);
      app.issued.push(token);
      return json(200, { access_token: token, token_type: 'bearer', scope: 'read:user,user:email' });
    }
    const login = tokens.get((req.headers.authorization ?? '').replace(/^Bearer /i, ''));
    const user = login ? app.users.get(login) : undefined;
    if (!user) return json(401, { message: 'Bad credentials' });
    if (url.pathname === '/user')
      return json(200, { id: user.id, login: user.login, name: user.name, email: user.email, avatar_url: `https://avatars.example/${user.id}` });
    if (url.pathname === '/user/emails')
      return json(
        200,
        user.emails.map((e) => ({ ...e, visibility: null })),
      );
    json(404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  app.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  app.close = () => new Promise((resolve) => server.close(() => resolve()));
  return app;
}
