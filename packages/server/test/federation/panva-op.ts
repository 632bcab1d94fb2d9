import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** An account of the independent upstream: its claims as it tells them. */
export interface PanvaAccount {
  sub: string;
  email: string;
  email_verified: boolean;
  name: string;
  /** What the upstream says it checked at this sign-in (the ID token's amr). */
  amr?: string[];
  /** The `groups` claim (scope groups). */
  groups?: string[];
}

export interface PanvaOp {
  issuer: string;
  accounts: Map<string, PanvaAccount>;
  close(): Promise<void>;
}

/**
 * panva's oidc-provider on 127.0.0.1, an OpenID Provider independent of Gatehouse, with the
 * smallest interaction: a form whose `login` field names the account (no password: what is
 * tested is the relying side). The email is in userinfo only, as OIDC Core has it by default.
 */
export async function startPanvaOp(clients: { id: string; secret: string; redirectUri: string }[]): Promise<PanvaOp> {
  const accounts = new Map<string, PanvaAccount>();
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({
      client_id: c.id,
      client_secret: c.secret,
      redirect_uris: [c.redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    })),
    jwks: { keys: [{ ...(privateKey.export({ format: 'jwk' }) as object), alg: 'RS256', use: 'sig', kid: 'panva-1' }] },
    cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
    scopes: ['openid', 'profile', 'email', 'groups'],
    claims: { openid: ['sub', 'amr'], profile: ['name'], email: ['email', 'email_verified'], groups: ['groups'] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false }, userinfo: { enabled: true } },
    async findAccount(_ctx: unknown, sub: string) {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, email: account.email, email_verified: account.email_verified, name: account.name, groups: account.groups ?? [] }),
      };
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
  });
  const callback = provider.callback();
  server.on('request', async (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return callback(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end(`<form method="post" action="/interaction/${details.uid}/login"><input name="login"><button>Sign in</button></form>`);
      }
      let body = '';
      for await (const chunk of req) body += chunk;
      const sub = new URLSearchParams(body).get('login') ?? '';
      const account = accounts.get(sub);
      if (!account) {
        res.writeHead(401);
        return res.end('no such account');
      }
      const grant = new provider.Grant({ accountId: sub, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope ?? 'openid'));
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { login: { accountId: sub, amr: account.amr }, consent: { grantId } }, { mergeWithLastSubmission: false });
    } catch (error) {
      res.writeHead(400);
      res.end(String((error as Error).message));
    }
  });
  return { issuer, accounts, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
