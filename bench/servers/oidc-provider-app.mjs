// oidc-provider configured like Gatehouse, plus the smallest interaction app that checks
// passwords with Gatehouse's argon2id parameters. Run as its own plain-node process by
// oidc-provider.ts. Env: PORT, ISSUER, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, ID_TOKEN_ALG, BENCH_USERS
// (JSON [{email,password,name}]), ADAPTER=memory|sqlite|postgres, DB_FILE (sqlite), DATABASE_URL (postgres).
import crypto from 'node:crypto';
import http from 'node:http';
import { hash, verify } from '@node-rs/argon2';
import Provider from 'oidc-provider';
import { createPostgresAdapter } from './oidc-postgres-adapter.mjs';
import { createSqliteAdapter } from './oidc-sqlite-adapter.mjs';

const { PORT, ISSUER, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, ID_TOKEN_ALG = 'ES256', BENCH_USERS, ADAPTER = 'memory', DB_FILE, DATABASE_URL } = process.env;
// Gatehouse's ARGON2_OPTIONS (packages/server/src/auth/password.ts).
const ARGON2 = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
/** The API the client's "api" scope is for; access tokens for it are ES256 JWTs (RFC 9068). */
const API = `${ISSUER}/api`;

let ready = false;
const usersByEmail = new Map();
const usersById = new Map();

function jwk(type, options, alg) {
  const { privateKey } = crypto.generateKeyPairSync(type, options);
  return { ...privateKey.export({ format: 'jwk' }), alg, use: 'sig', kid: crypto.randomUUID() };
}

const hasApi = (scope) =>
  String(scope ?? '')
    .split(' ')
    .includes('api');

const provider = new Provider(ISSUER, {
  ...(ADAPTER === 'sqlite' ? { adapter: createSqliteAdapter(DB_FILE) } : {}),
  ...(ADAPTER === 'postgres' ? { adapter: await createPostgresAdapter(DATABASE_URL) } : {}),
  clients: [
    {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: ID_TOKEN_ALG,
    },
  ],
  jwks: { keys: [jwk('rsa', { modulusLength: 2048 }, 'RS256'), jwk('ec', { namedCurve: 'P-256' }, 'ES256')] },
  cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
  scopes: ['openid', 'offline_access', 'profile', 'email'],
  claims: { openid: ['sub'], profile: ['name'], email: ['email', 'email_verified'] },
  // Gatehouse puts the scopes' claims in the ID token too.
  conformIdTokenClaims: false,
  async findAccount(_ctx, sub) {
    const user = usersById.get(sub);
    if (!user) return undefined;
    return { accountId: sub, claims: async () => ({ sub, name: user.name, email: user.email, email_verified: false }) };
  },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
    userinfo: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // client_credentials, and authorization requests asking for "api", get the API's JWT access
      // token; an openid-only request gets the opaque token oidc-provider requires at userinfo.
      async defaultResource(ctx, _client, oneOf) {
        if (oneOf) return oneOf.includes(API) ? API : oneOf[0];
        if (ctx.oidc.route === 'token') return ctx.oidc.params.grant_type === 'client_credentials' ? API : undefined;
        return hasApi(ctx.oidc.params?.scope) ? API : undefined;
      },
      useGrantedResource: async () => true,
      async getResourceServerInfo(_ctx, resource) {
        if (resource !== API) throw new Provider.errors.InvalidTarget();
        return { scope: 'api', audience: API, accessTokenTTL: 900, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'ES256' } } };
      },
    },
  },
  pkce: { required: () => true },
  rotateRefreshToken: true,
  // Like Gatehouse: a refresh token whenever the client may refresh, not bound to the session.
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  expiresWithSession: async () => false,
  ttl: {
    AccessToken: 900,
    ClientCredentials: 900,
    AuthorizationCode: 60,
    IdToken: 3600,
    RefreshToken: 30 * 86_400,
    Grant: 30 * 86_400,
    Session: 14 * 86_400,
    Interaction: 600,
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
});
provider.on('server_error', (_ctx, error) => console.error('server_error', error));

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const loginPage = (uid, error = '') => `<!doctype html><title>Sign in</title>${error ? `<p>${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login"><input name="email" type="email"><input name="password" type="password"><button>Sign in</button></form>`;

function send(res, status, body, type = 'text/html; charset=utf-8') {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 64 * 1024) throw new Error('body too large');
  }
  return new URLSearchParams(body);
}

// Verified against when the email is unknown, as Gatehouse does.
const dummyHash = hash('timing-equaliser', ARGON2);

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET') return send(res, 200, loginPage(details.uid));
  if (req.method !== 'POST' || !req.url.endsWith('/login')) return send(res, 405, 'method not allowed', 'text/plain');
  const form = await readForm(req);
  const user = usersByEmail.get((form.get('email') ?? '').trim());
  const ok = await verify(user?.hash ?? (await dummyHash), form.get('password') ?? '').catch(() => false);
  if (!user || !ok) return send(res, 401, loginPage(details.uid, 'The email or password is incorrect.'));
  // First-party client: consent is implied, so grant what was asked for right away.
  const grant = new provider.Grant({ accountId: user.id, clientId: details.params.client_id });
  const scope = String(details.params.scope ?? '');
  grant.addOIDCScope(
    scope
      .split(' ')
      .filter((s) => s !== 'api')
      .join(' '),
  );
  if (hasApi(scope)) grant.addResourceScope(API, 'api');
  const grantId = await grant.save();
  return provider.interactionFinished(req, res, { login: { accountId: user.id }, consent: { grantId } }, { mergeWithLastSubmission: false });
}

const callback = provider.callback();
const server = http.createServer((req, res) => {
  if (req.url === '/readyz') return send(res, ready ? 200 : 503, ready ? '{"status":"ready"}' : '{"status":"starting"}', 'application/json');
  if (req.url.startsWith('/interaction/')) {
    return interaction(req, res).catch((error) => {
      if (!res.headersSent) send(res, 400, `interaction failed: ${escapeHtml(error.message)}`);
    });
  }
  return callback(req, res);
});
server.keepAliveTimeout = 5000;
server.listen(Number(PORT), '127.0.0.1');

// The seeded users, hashed at start with the same parameters.
await Promise.all(
  JSON.parse(BENCH_USERS).map(async (u, i) => {
    const user = { id: `user-${i + 1}`, email: u.email, name: u.name, hash: await hash(u.password, ARGON2) };
    usersByEmail.set(user.email, user);
    usersById.set(user.id, user);
  }),
);
ready = true;
process.on('SIGTERM', () => server.close(() => process.exit(0)));
