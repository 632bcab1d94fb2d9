import { parseArgs } from 'node:util';
import type { GrantType, IdTokenAlg, NewClient } from '../store/repos/clients.js';
import { parseOrUsage, wantsHelp, withScope } from './common.js';
import { type CliIo, CliUsageError } from './io.js';
import { checkRedirectUri, checkResource, checkText, parseGrantTypes, parseScopes } from './validate.js';

export const CREATE_HELP = `Usage: gatehouse client create --name NAME --redirect-uri URI [options]

Registers an application that signs users in with Gatehouse and prints its client id (and,
for confidential clients, its secret: shown once, only a hash is kept).

Options:
  --name NAME                      display name shown on the sign-in and consent pages (required, max 200)
  --description TEXT               shown on the consent page
  --redirect-uri URI               where users return after signing in; repeat for more.
                                   Required when authorization_code is allowed. Must be https,
                                   http only on localhost/127.0.0.1/[::1], or for --public
                                   clients a reverse-DNS scheme such as com.example.app:/callback.
                                   Compared byte for byte with what the app sends.
  --post-logout-redirect-uri URI   where users may return after signing out; repeat for more (same rules)
  --scope "S1 S2"                  scopes the client may ask for (default "openid profile email")
  --grant-types G1,G2              from authorization_code, refresh_token, client_credentials
                                   (default authorization_code,refresh_token)
  --public                         no secret: a browser or native app that uses PKCE only
  --first-party                    your own app: users are not asked for consent
  --id-token-alg RS256|ES256       ID token signing algorithm (default RS256)
  --resource URI                   an API this client gets access tokens for (RFC 8707); repeat
                                   for more. Access tokens carry it as "aud"; the first one is
                                   the default audience (without any, the issuer URL is).
  --json                           print {"client_id": "...", "client_secret": "..."} (no secret for --public)
  -h, --help                       show this help

Example:
  gatehouse client create --name "Example Business" \\
    --redirect-uri https://example-business.com/api/auth/callback/gatehouse --json`;

const DEFAULT_SCOPE = 'openid profile email';
const DEFAULT_GRANTS = 'authorization_code,refresh_token';
const ID_TOKEN_ALGS: readonly IdTokenAlg[] = ['RS256', 'ES256'];

/** Turns the command line into a client to create; every rule is checked before the database is opened. */
export function parseCreateArgs(args: string[]): { client: NewClient; json: boolean } {
  const { values, positionals } = parseOrUsage(() =>
    parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        description: { type: 'string' },
        'redirect-uri': { type: 'string', multiple: true },
        'post-logout-redirect-uri': { type: 'string', multiple: true },
        scope: { type: 'string' },
        'grant-types': { type: 'string' },
        public: { type: 'boolean' },
        'first-party': { type: 'boolean' },
        'id-token-alg': { type: 'string' },
        resource: { type: 'string', multiple: true },
        json: { type: 'boolean' },
      },
    }),
  );
  if (positionals.length > 0) throw new CliUsageError(`unexpected argument "${positionals[0]}" (did you forget quotes around a value?)`);
  if (values.name === undefined) throw new CliUsageError('--name is required');
  const name = checkText('--name', values.name, 200);
  const description = values.description === undefined ? '' : checkText('--description', values.description, 1000);
  const isPublic = values.public ?? false;
  const grantTypes = parseGrantTypes(values['grant-types'] ?? DEFAULT_GRANTS);
  checkGrantCombination(grantTypes, isPublic);
  const redirectUris = (values['redirect-uri'] ?? []).map((u) => checkRedirectUri(u, { flag: '--redirect-uri', isPublic }));
  const postLogoutRedirectUris = (values['post-logout-redirect-uri'] ?? []).map((u) =>
    checkRedirectUri(u, { flag: '--post-logout-redirect-uri', isPublic }),
  );
  if (grantTypes.includes('authorization_code') && redirectUris.length === 0) {
    throw new CliUsageError('--redirect-uri is required when the client may use authorization_code');
  }
  if (!grantTypes.includes('authorization_code') && (redirectUris.length > 0 || postLogoutRedirectUris.length > 0)) {
    // Without the code flow nobody is ever redirected; accepting them would suggest otherwise.
    throw new CliUsageError('redirect URIs only apply with the authorization_code grant type');
  }
  const alg = values['id-token-alg'] ?? 'RS256';
  if (!(ID_TOKEN_ALGS as readonly string[]).includes(alg)) {
    throw new CliUsageError(`--id-token-alg must be one of ${ID_TOKEN_ALGS.join(', ')}`);
  }
  return {
    client: {
      name,
      description,
      redirectUris: dedupe(redirectUris),
      postLogoutRedirectUris: dedupe(postLogoutRedirectUris),
      grantTypes,
      scopes: parseScopes(values.scope ?? DEFAULT_SCOPE),
      isPublic,
      firstParty: values['first-party'] ?? false,
      idTokenAlg: alg as IdTokenAlg,
      resources: dedupe((values.resource ?? []).map((r) => checkResource(r))),
    },
    json: values.json ?? false,
  };
}

function checkGrantCombination(grantTypes: GrantType[], isPublic: boolean): void {
  if (isPublic && grantTypes.includes('client_credentials')) {
    throw new CliUsageError('a --public client cannot use client_credentials: it has no secret to authenticate with');
  }
  if (grantTypes.includes('refresh_token') && !grantTypes.includes('authorization_code')) {
    throw new CliUsageError('refresh_token needs authorization_code: refresh tokens are only issued by the code flow');
  }
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}

export async function clientCreate(args: string[], io: CliIo): Promise<number> {
  if (wantsHelp(args)) {
    io.out(CREATE_HELP);
    return 0;
  }
  const { client, json } = parseCreateArgs(args);
  const { created, secret, issuer } = await withScope(io, async (scope) => {
    const result = await scope.repos.clients.create(client);
    return { created: result.client, secret: result.secret, issuer: scope.url };
  });
  if (json) {
    io.out(JSON.stringify(secret === null ? { client_id: created.id } : { client_id: created.id, client_secret: secret }));
    return 0;
  }
  const lines = [
    `Created ${created.isPublic ? 'public' : 'confidential'} client "${created.name}".`,
    '',
    `  Client ID:      ${created.id}`,
  ];
  if (secret !== null) {
    lines.push(
      `  Client secret:  ${secret}`,
      '',
      'The client secret is shown once, copy it now: Gatehouse keeps only a hash of it.',
      `If it is lost, issue a new one with: gatehouse client rotate-secret ${created.id}`,
    );
  } else {
    lines.push('', 'Public client: no secret; the app must use PKCE (S256).');
  }
  lines.push('', `Issuer: ${issuer}  (discovery: ${issuer}/.well-known/openid-configuration)`);
  io.out(lines.join('\n'));
  return 0;
}
