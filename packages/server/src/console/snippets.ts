/**
 * What the console shows a developer once an app is registered: a `.env` block and the code to
 * sign in with it, for the SDK and the libraries people use most, filled in with this app's
 * values. The secret is in the `.env` block only; the code reads it from the environment.
 */
export interface AppValues {
  issuer: string;
  clientId: string;
  /** Shown once, on the page that follows the creation or a rotation. */
  secret: string | undefined;
  redirectUri: string | undefined;
  type: 'web' | 'spa' | 'native' | 'machine';
  brand: string;
}

export interface Snippet {
  id: string;
  title: string;
  code: string;
}

export function envBlock(app: AppValues): string {
  const lines = [`GATEHOUSE_ISSUER=${app.issuer}`, `GATEHOUSE_CLIENT_ID=${app.clientId}`];
  if (app.secret) lines.push(`GATEHOUSE_CLIENT_SECRET=${app.secret}`);
  if (app.redirectUri) lines.push(`GATEHOUSE_REDIRECT_URI=${app.redirectUri}`);
  return lines.join('\n');
}

const secretLine = (app: AppValues, indent: string, line: string): string => (app.secret ? `\n${indent}${line}` : '');

export function snippets(app: AppValues): Snippet[] {
  if (app.type === 'machine') {
    return [
      {
        id: 'gatehouse-client',
        title: '@gatehouse/client',
        code: `import { IdpClient } from '@gatehouse/client';

const idp = new IdpClient({
  issuerUrl: process.env.GATEHOUSE_ISSUER!,
  clientId: process.env.GATEHOUSE_CLIENT_ID!,
  clientSecret: process.env.GATEHOUSE_CLIENT_SECRET!,
  redirectUri: 'urn:ietf:wg:oauth:2.0:oob', // not used by client_credentials
});

const { accessToken } = await idp.clientCredentials({ scopes: [] });`,
      },
      {
        id: 'openid-client',
        title: 'openid-client',
        code: `import * as client from 'openid-client';

const config = await client.discovery(
  new URL(process.env.GATEHOUSE_ISSUER!),
  process.env.GATEHOUSE_CLIENT_ID!,
  process.env.GATEHOUSE_CLIENT_SECRET!,
);
const tokens = await client.clientCredentialsGrant(config, { scope: '' });`,
      },
    ];
  }
  return [
    {
      id: 'gatehouse-client',
      title: '@gatehouse/client',
      code: `import { IdpClient } from '@gatehouse/client';

export const idp = new IdpClient({
  issuerUrl: process.env.GATEHOUSE_ISSUER!,
  clientId: process.env.GATEHOUSE_CLIENT_ID!,${secretLine(app, '  ', 'clientSecret: process.env.GATEHOUSE_CLIENT_SECRET!,')}
  redirectUri: process.env.GATEHOUSE_REDIRECT_URI!,
});

// Sign-in: keep codeVerifier, state and nonce in the server-side session.
const { url, codeVerifier, state, nonce } = await idp.createAuthorizationUrl();
// Callback: checks state and iss, redeems the code with PKCE, verifies the ID token.
const agent = await idp.exchangeCode(req.originalUrl, { codeVerifier, state, nonce });`,
    },
    {
      id: 'openid-client',
      title: 'openid-client',
      code: `import * as client from 'openid-client';

const config = await client.discovery(
  new URL(process.env.GATEHOUSE_ISSUER!),
  process.env.GATEHOUSE_CLIENT_ID!,${secretLine(app, '  ', 'process.env.GATEHOUSE_CLIENT_SECRET!,')}
);${app.secret ? '' : '\n// A public client: no secret, PKCE protects the code.'}
const code_verifier = client.randomPKCECodeVerifier();
const state = client.randomState();
const url = client.buildAuthorizationUrl(config, {
  redirect_uri: process.env.GATEHOUSE_REDIRECT_URI!,
  scope: 'openid profile email',
  code_challenge: await client.calculatePKCECodeChallenge(code_verifier),
  code_challenge_method: 'S256',
  state,
});
// Callback:
const tokens = await client.authorizationCodeGrant(config, new URL(req.url, process.env.GATEHOUSE_REDIRECT_URI!), {
  pkceCodeVerifier: code_verifier,
  expectedState: state,
});`,
    },
    {
      id: 'authjs',
      title: 'Auth.js',
      code: `import NextAuth from 'next-auth';

export const { handlers, auth, signIn, signOut } = NextAuth({
  providers: [
    {
      id: 'gatehouse',
      name: ${JSON.stringify(app.brand)},
      type: 'oidc',
      issuer: process.env.GATEHOUSE_ISSUER,
      clientId: process.env.GATEHOUSE_CLIENT_ID,${secretLine(app, '      ', 'clientSecret: process.env.GATEHOUSE_CLIENT_SECRET,')}
      checks: ['pkce', 'state', 'nonce'],
    },
  ],
});
// Redirect URI to register: <your site>/api/auth/callback/gatehouse`,
    },
    {
      id: 'passport',
      title: 'Passport',
      code: `import passport from 'passport';
import * as client from 'openid-client';
import { Strategy } from 'openid-client/passport';

const config = await client.discovery(
  new URL(process.env.GATEHOUSE_ISSUER!),
  process.env.GATEHOUSE_CLIENT_ID!,${secretLine(app, '  ', 'process.env.GATEHOUSE_CLIENT_SECRET!,')}
);
passport.use('gatehouse', new Strategy(
  { config, scope: 'openid profile email', callbackURL: process.env.GATEHOUSE_REDIRECT_URI! },
  (tokens, verified) => verified(null, tokens.claims()),
));
app.get('/login', passport.authenticate('gatehouse'));
app.get('/callback', passport.authenticate('gatehouse', { successRedirect: '/', failureRedirect: '/login' }));`,
    },
  ];
}
