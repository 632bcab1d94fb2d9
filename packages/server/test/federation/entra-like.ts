import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

/**
 * A small OpenID Provider on 127.0.0.1 shaped like Microsoft Entra's multi-tenant endpoint:
 * metadata at /common/v2.0 with the issuer template …/{tenantid}/v2.0, and ID tokens whose iss
 * names the tenant of their `tid`. `next` sets the next token's claims (another tenant's iss…).
 */
export interface EntraLike {
  origin: string;
  issuerUrl: string;
  clientId: string;
  next: Record<string, unknown>;
  close(): Promise<void>;
}

export const TENANT_A = '0b2c8c3e-1f5a-4c2e-9d7e-4f1a2b3c4d5e';
export const TENANT_B = '9f8e7d6c-5b4a-4321-8fed-cba987654321';

export async function startEntraLike(clientId = 'entra-client'): Promise<EntraLike> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'e1', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, string>();
  const app: EntraLike = { origin: '', issuerUrl: '', clientId, next: {}, close: async () => {} };
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', app.origin);
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/common/v2.0/.well-known/openid-configuration') {
      return json(200, {
        issuer: `${app.origin}/{tenantid}/v2.0`,
        authorization_endpoint: `${app.origin}/common/oauth2/v2.0/authorize`,
        token_endpoint: `${app.origin}/common/oauth2/v2.0/token`,
        jwks_uri: `${app.origin}/common/discovery/v2.0/keys`,
        response_types_supported: ['code'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
      });
    }
    if (url.pathname === '/common/discovery/v2.0/keys') return json(200, { keys: [jwk] });
    if (url.pathname === '/common/oauth2/v2.0/authorize') {
      const code = Math.random().toString(36).slice(2);
      codes.set(code, url.searchParams.get('nonce') ?? '');
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { location: back.href });
      return res.end();
    }
    if (url.pathname === '/common/oauth2/v2.0/token' && req.method === 'POST') {
      let body = '';
      for await (const chunk of req) body += chunk;
      const form = new URLSearchParams(body);
      const nonce = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      if (nonce === undefined || form.get('client_id') !== clientId) return json(400, { error: 'invalid_grant' });
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        iss: `${app.origin}/${TENANT_A}/v2.0`,
        tid: TENANT_A,
        aud: clientId,
        sub: 'entra-pairwise-sub',
        oid: '11111111-2222-3333-4444-555555555555',
        nonce,
        iat: now,
        exp: now + 300,
        email: 'someone@contoso.example',
        name: 'Someone at Contoso',
        ...app.next,
      };
      const idToken = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'e1' }).sign(privateKey);
      return json(200, { access_token: 'entra-access-token', token_type: 'Bearer', expires_in: 300, id_token: idToken });
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  app.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  app.issuerUrl = `${app.origin}/common/v2.0`;
  app.close = () => new Promise((resolve) => server.close(() => resolve()));
  return app;
}
