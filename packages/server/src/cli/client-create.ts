import { parseArgs } from 'node:util';
import { ServiceError } from '../services/errors.js';
import { type ClientInput, type FieldLabels, MAX_REFRESH_REUSE_GRACE, createClient, validateNewClient } from '../services/clients.js';
import { parseOrUsage, wantsHelp, withScope } from './common.js';
import { type CliIo, CliUsageError } from './io.js';

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
                                   the default audience of client_credentials and of sign-ins
                                   without openid (docs/connecting-apps.md).
  --pkce required|optional         whether authorization requests must use PKCE (default
                                   required). optional: confidential clients only; a request
                                   without code_challenge is then a plain OpenID Connect one,
                                   whose code only the client secret protects (the app must
                                   check nonce). A request with one is still checked.
  --refresh-reuse-grace SECONDS    seconds in which a just-rotated refresh token may be
                                   presented again and get the same new token instead of
                                   revoking the grant (default 0: never; at most ${MAX_REFRESH_REUSE_GRACE}), for
                                   apps whose instances may refresh the same token at once
  --id-token-claims                compatibility: put the profile and email claims in the ID
                                   token too, for apps that read them there instead of from
                                   userinfo (by default they are only in userinfo, OIDC Core §5.4)
  --logo-uri URL                   the app's logo, shown on the consent page (https)
  --policy-uri URL                 the app's privacy policy, linked from the consent page (https)
  --tos-uri URL                    the app's terms of service, linked from the consent page (https)
  --backchannel-logout-uri URL     where Gatehouse POSTs a logout token when a session that
                                   signed in to the app ends (OpenID Connect Back-Channel
                                   Logout 1.0; https, http only on a loopback host, no #)
  --backchannel-logout-session-required
                                   the app needs sid in its logout tokens (Gatehouse sends it always)
  --json                           print {"client_id": "...", "client_secret": "..."} (no secret for --public)
  -h, --help                       show this help

Example:
  gatehouse client create --name "Example Business" \\
    --redirect-uri https://example-business.com/api/auth/callback/gatehouse --json`;

/** How the service names this command's settings in its messages: by their flags. */
export const CLIENT_FLAGS: FieldLabels = {
  name: '--name',
  description: '--description',
  redirectUris: '--redirect-uri',
  postLogoutRedirectUris: '--post-logout-redirect-uri',
  scope: '--scope',
  grantTypes: '--grant-types',
  idTokenAlg: '--id-token-alg',
  resources: '--resource',
  isPublic: '--public',
  pkce: '--pkce',
  refreshReuseGrace: '--refresh-reuse-grace',
  idTokenClaims: '--id-token-claims',
  logoUri: '--logo-uri',
  policyUri: '--policy-uri',
  tosUri: '--tos-uri',
  backchannelLogoutUri: '--backchannel-logout-uri',
  backchannelLogoutSessionRequired: '--backchannel-logout-session-required',
};

/** Runs `fn`; input a service refuses is a usage mistake (exit 2). */
export async function asUsage<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'invalid') throw new CliUsageError(error.message);
    throw error;
  }
}

/** Turns the command line into a client to create; every rule is checked before the database is opened. */
export async function parseCreateArgs(args: string[]): Promise<{ client: ClientInput; json: boolean }> {
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
        pkce: { type: 'string' },
        'refresh-reuse-grace': { type: 'string' },
        'logo-uri': { type: 'string' },
        'policy-uri': { type: 'string' },
        'tos-uri': { type: 'string' },
        'id-token-claims': { type: 'boolean' },
        'backchannel-logout-uri': { type: 'string' },
        'backchannel-logout-session-required': { type: 'boolean' },
        json: { type: 'boolean' },
      },
    }),
  );
  if (positionals.length > 0) throw new CliUsageError(`unexpected argument "${positionals[0]}" (did you forget quotes around a value?)`);
  if (values.name === undefined) throw new CliUsageError('--name is required');
  const client: ClientInput = {
    name: values.name,
    ...(values.description !== undefined ? { description: values.description } : {}),
    redirectUris: values['redirect-uri'] ?? [],
    postLogoutRedirectUris: values['post-logout-redirect-uri'] ?? [],
    ...(values.scope !== undefined ? { scope: values.scope } : {}),
    ...(values['grant-types'] !== undefined ? { grantTypes: values['grant-types'] } : {}),
    isPublic: values.public ?? false,
    firstParty: values['first-party'] ?? false,
    ...(values['id-token-alg'] !== undefined ? { idTokenAlg: values['id-token-alg'] } : {}),
    resources: values.resource ?? [],
    ...(values.pkce !== undefined ? { pkce: values.pkce } : {}),
    ...(values['refresh-reuse-grace'] !== undefined ? { refreshReuseGrace: values['refresh-reuse-grace'] } : {}),
    ...(values['id-token-claims'] ? { idTokenClaims: true } : {}),
    ...linkFlags(values),
    ...backchannelFlags(values),
  };
  await asUsage(() => validateNewClient(client, CLIENT_FLAGS));
  return { client, json: values.json ?? false };
}

export async function clientCreate(args: string[], io: CliIo): Promise<number> {
  if (wantsHelp(args)) {
    io.out(CREATE_HELP);
    return 0;
  }
  const { client, json } = await parseCreateArgs(args);
  const { created, secret, issuer, warnings } = await withScope(io, async (scope) => {
    const result = await asUsage(() => createClient(scope, client, CLIENT_FLAGS, { privileged: true }));
    return { created: result.client, secret: result.secret, issuer: scope.url, warnings: result.warnings };
  });
  for (const warning of warnings) io.err(`warning: ${warning}`);
  if (json) {
    io.out(JSON.stringify(secret === null ? { client_id: created.id } : { client_id: created.id, client_secret: secret }));
    return 0;
  }
  const lines = [`Created ${created.isPublic ? 'public' : 'confidential'} client "${created.name}".`, '', `  Client ID:      ${created.id}`];
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

/** The --logo-uri, --policy-uri and --tos-uri values given (create and update take the same). */
export function linkFlags(values: {
  'logo-uri'?: string | undefined;
  'policy-uri'?: string | undefined;
  'tos-uri'?: string | undefined;
}): Pick<ClientInput, 'logoUri' | 'policyUri' | 'tosUri'> {
  return {
    ...(values['logo-uri'] !== undefined ? { logoUri: values['logo-uri'] } : {}),
    ...(values['policy-uri'] !== undefined ? { policyUri: values['policy-uri'] } : {}),
    ...(values['tos-uri'] !== undefined ? { tosUri: values['tos-uri'] } : {}),
  };
}

/** The --backchannel-logout-uri and --[no-]backchannel-logout-session-required values given (create and update). */
export function backchannelFlags(values: {
  'backchannel-logout-uri'?: string | undefined;
  'backchannel-logout-session-required'?: boolean | undefined;
  'no-backchannel-logout-session-required'?: boolean | undefined;
}): Pick<ClientInput, 'backchannelLogoutUri' | 'backchannelLogoutSessionRequired'> {
  const required = values['backchannel-logout-session-required'];
  const notRequired = values['no-backchannel-logout-session-required'];
  if (required && notRequired) throw new CliUsageError('use --backchannel-logout-session-required or --no-backchannel-logout-session-required, not both');
  return {
    ...(values['backchannel-logout-uri'] !== undefined ? { backchannelLogoutUri: values['backchannel-logout-uri'] } : {}),
    ...(required ? { backchannelLogoutSessionRequired: true } : notRequired ? { backchannelLogoutSessionRequired: false } : {}),
  };
}
