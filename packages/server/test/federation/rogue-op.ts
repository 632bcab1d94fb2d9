import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

/**
 * A small OpenID Provider on 127.0.0.1 that signs what a test tells it to: the ID token of
 * another audience, another issuer, another nonce, or signed by a key outside its JWKS. Its
 * authorization endpoint answers at once (no login): the attacks are in what it sends back.
 */
export interface RogueOp {
  issuer: string;
  clientId: string;
  /** Changes the next ID tokens' claims (merged over the honest ones), or signs with a stray key. */
  next: { claims?: Record<string, unknown>; strayKey?: boolean; iss?: string | null };
  close(): Promise<void>;
}

export async function startRogueOp(clientId = 'rogue-client'): Promise<RogueOp> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const stray = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, { nonce: string; redirectUri: string }>();
  let issuer = '';
  const op: RogueOp = { issuer: '', clientId, next: {}, close: async () => {} };
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        authorization_response_iss_parameter_supported: true,
      });
    }
    if (url.pathname === '/jwks') return json(200, { keys: [jwk] });
    if (url.pathname === '/authorize') {
      const code = `code-${codes.size + 1}-${Math.random().toString(36).slice(2)}`;
      codes.set(code, { nonce: url.searchParams.get('nonce') ?? '', redirectUri: url.searchParams.get('redirect_uri') ?? '' });
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      const iss = op.next.iss === undefined ? issuer : op.next.iss;
      if (iss !== null) back.searchParams.set('iss', iss);
      res.writeHead(302, { location: back.href });
      return res.end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      for await (const chunk of req) body += chunk;
      const form = new URLSearchParams(body);
      const issued = codes.get(form.get('code') ?? '');
      if (!issued || form.get('client_id') !== clientId || !form.get('code_verifier')) return json(400, { error: 'invalid_grant' });
      codes.delete(form.get('code') ?? '');
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        iss: issuer,
        aud: clientId,
        sub: 'rogue-subject',
        nonce: issued.nonce,
        iat: now,
        exp: now + 300,
        email: 'victim@example.com',
        email_verified: true,
        ...op.next.claims,
      };
      const idToken = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(op.next.strayKey ? stray.privateKey : privateKey);
      return json(200, { access_token: 'upstream-access-token', token_type: 'Bearer', expires_in: 300, id_token: idToken });
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  op.issuer = issuer;
  op.close = () => new Promise((resolve) => server.close(() => resolve()));
  return op;
}
