import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, type KeyObject, SignJWT, exportJWK, exportPKCS8, generateKeyPair, jwtVerify } from 'jose';

/**
 * A small OpenID Provider on 127.0.0.1 shaped like Sign in with Apple: discovery, an authorize
 * endpoint that answers with an auto-submitting form_post page (code, state, and on a user's
 * first sign-in the `user` JSON with the name), and a token endpoint that takes the client
 * secret only as an ES256 JWT signed by the operator's key (the .p8 here): its signature by
 * the key's public half, header kid, iss = team id, sub = client id, aud = the issuer, exp.
 * `email_verified` comes as the string "true", as Apple sends it.
 */
export interface AppleLike {
  origin: string;
  clientId: string;
  teamId: string;
  keyId: string;
  /** The operator's .p8 (PKCS #8 PEM). */
  privateKeyPem: string;
  /** The claims of the next ID token beyond the defaults (sub, email…). */
  next: Record<string, unknown>;
  /** The client secret JWTs the token endpoint accepted, decoded, and why it refused others. */
  accepted: Record<string, unknown>[];
  refused: string[];
  close(): Promise<void>;
}

export async function startAppleLike(): Promise<AppleLike> {
  const signing = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(signing.publicKey)), kid: 'apple-1', alg: 'RS256', use: 'sig' };
  const operator = await generateKeyPair('ES256', { extractable: true });
  const codes = new Map<string, { nonce: string; redirectUri: string; sub: string }>();
  const seen = new Set<string>();
  const app: AppleLike = {
    origin: '',
    clientId: 'com.example.gatehouse.web',
    teamId: 'TEAM123456',
    keyId: 'KEY7890ABC',
    privateKeyPem: await exportPKCS8(operator.privateKey as CryptoKey | KeyObject),
    next: {},
    accepted: [],
    refused: [],
    close: async () => {},
  };
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', app.origin);
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer: app.origin,
        authorization_endpoint: `${app.origin}/auth/authorize`,
        token_endpoint: `${app.origin}/auth/token`,
        jwks_uri: `${app.origin}/auth/keys`,
        response_types_supported: ['code'],
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid', 'email', 'name'],
        token_endpoint_auth_methods_supported: ['client_secret_post'],
      });
    }
    if (url.pathname === '/auth/keys') return json(200, { keys: [jwk] });
    if (url.pathname === '/auth/authorize') {
      const q = url.searchParams;
      if (q.get('response_mode') !== 'form_post' || q.get('client_id') !== app.clientId) return json(400, { error: 'invalid_request' });
      const sub = String(app.next.sub ?? '001234.apple-user.0001');
      const code = randomBytes(16).toString('hex');
      const redirectUri = q.get('redirect_uri') ?? '';
      codes.set(code, { nonce: q.get('nonce') ?? '', redirectUri, sub });
      const fields: Record<string, string> = { code, state: q.get('state') ?? '' };
      // The name is told once: on this user's first sign-in to the client.
      if (!seen.has(sub)) fields.user = JSON.stringify({ name: { firstName: 'Ada', lastName: 'Lovelace' }, email: 'not-to-be-trusted@example.com' });
      seen.add(sub);
      const inputs = Object.entries(fields)
        .map(([k, v]) => `<input type="hidden" name="${k}" value="${v.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}">`)
        .join('');
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(`<!doctype html><form method="post" action="${redirectUri}">${inputs}</form>`);
    }
    if (url.pathname === '/auth/token' && req.method === 'POST') {
      let body = '';
      for await (const chunk of req) body += chunk;
      const form = new URLSearchParams(body);
      const secret = form.get('client_secret') ?? '';
      try {
        const { payload, protectedHeader } = await jwtVerify(secret, operator.publicKey, {
          algorithms: ['ES256'],
          issuer: app.teamId,
          subject: app.clientId,
          audience: app.origin,
        });
        if (protectedHeader.kid !== app.keyId) throw new Error('kid');
        if (typeof payload.iat !== 'number' || typeof payload.exp !== 'number' || payload.exp - payload.iat > 15_777_000) throw new Error('exp');
        app.accepted.push(payload);
      } catch (error) {
        app.refused.push((error as Error).message);
        return json(400, { error: 'invalid_client' });
      }
      const issued = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      if (!issued || form.get('client_id') !== app.clientId || form.get('redirect_uri') !== issued.redirectUri) return json(400, { error: 'invalid_grant' });
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        iss: app.origin,
        aud: app.clientId,
        sub: issued.sub,
        nonce: issued.nonce,
        iat: now,
        exp: now + 600,
        email: 'ab12cd34@privaterelay.appleid.com',
        email_verified: 'true',
        is_private_email: 'true',
        auth_time: now,
        ...app.next,
      };
      const idToken = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'apple-1' }).sign(signing.privateKey);
      return json(200, { access_token: 'apple-access-token', token_type: 'Bearer', expires_in: 3600, refresh_token: 'apple-refresh', id_token: idToken });
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  app.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  app.close = () => new Promise((resolve) => server.close(() => resolve()));
  return app;
}
