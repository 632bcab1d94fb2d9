import { parseArgs } from 'node:util';
import { MAX_REFRESH_REUSE_GRACE, type ClientUpdate, updateClient } from '../services/clients.js';
import { CLIENT_FLAGS, asUsage, backchannelFlags, linkFlags } from './client-create.js';
import { describeClient } from './client-view.js';
import { parseOrUsage, positionals, withHelp, withScope } from './common.js';
import { type CliIo, CliUsageError } from './io.js';

export const UPDATE_HELP = `Usage: gatehouse client update <client-id> [options]

Changes a client's settings; what is not named stays as it is. Running servers see the change
at once on SQLite, within milliseconds on PostgreSQL (as for delete).

Options:
  --name NAME                      display name (max 200)
  --redirect-uri URI               replaces the redirect URIs (repeat for more; same rules as create)
  --post-logout-redirect-uri URI   replaces the post-logout redirect URIs (repeat for more)
  --scope "S1 S2"                  replaces the scopes the client may ask for; grants keep theirs
  --pkce required|optional         PKCE policy; optional is for confidential clients only and
                                   is shown with a warning (see client create --help)
  --refresh-reuse-grace SECONDS    refresh-token reuse grace, 0 to ${MAX_REFRESH_REUSE_GRACE} (0 turns it off)
  --id-token-claims                put the profile and email claims in the ID token too
                                   (compatibility, see client create --help)
  --no-id-token-claims             only userinfo has them again (the default)
  --logo-uri URL                   the logo on the consent page ("" removes it)
  --policy-uri URL                 the privacy policy link ("" removes it)
  --tos-uri URL                    the terms of service link ("" removes it)
  --backchannel-logout-uri URL     where logout tokens go ("" removes it; see client create --help)
  --backchannel-logout-session-required
  --no-backchannel-logout-session-required
                                   whether the app needs sid in its logout tokens
  --json                           print the client as "client show --json" does
  -h, --help                       show this help

Exits with 1 if there is no such client, 2 if a setting is refused.`;

export const clientUpdate = withHelp(UPDATE_HELP, async (args: string[], io: CliIo) => {
  const { values, positionals: given } = parseOrUsage(() =>
    parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        'redirect-uri': { type: 'string', multiple: true },
        'post-logout-redirect-uri': { type: 'string', multiple: true },
        scope: { type: 'string' },
        pkce: { type: 'string' },
        'refresh-reuse-grace': { type: 'string' },
        'id-token-claims': { type: 'boolean' },
        'no-id-token-claims': { type: 'boolean' },
        'logo-uri': { type: 'string' },
        'policy-uri': { type: 'string' },
        'tos-uri': { type: 'string' },
        'backchannel-logout-uri': { type: 'string' },
        'backchannel-logout-session-required': { type: 'boolean' },
        'no-backchannel-logout-session-required': { type: 'boolean' },
        json: { type: 'boolean' },
      },
    }),
  );
  const [id = ''] = positionals(given, ['client-id']);
  if (values['id-token-claims'] && values['no-id-token-claims']) throw new CliUsageError('use --id-token-claims or --no-id-token-claims, not both');
  const idTokenClaims = values['id-token-claims'] ? true : values['no-id-token-claims'] ? false : undefined;
  const changes: ClientUpdate = {
    ...(values.name !== undefined ? { name: values.name } : {}),
    ...(values['redirect-uri'] !== undefined ? { redirectUris: values['redirect-uri'] } : {}),
    ...(values['post-logout-redirect-uri'] !== undefined ? { postLogoutRedirectUris: values['post-logout-redirect-uri'] } : {}),
    ...(values.scope !== undefined ? { scope: values.scope } : {}),
    ...(values.pkce !== undefined ? { pkce: values.pkce } : {}),
    ...(values['refresh-reuse-grace'] !== undefined ? { refreshReuseGrace: values['refresh-reuse-grace'] } : {}),
    ...(idTokenClaims !== undefined ? { idTokenClaims } : {}),
    ...linkFlags(values),
    ...backchannelFlags(values),
  };
  const updated = await withScope(io, (scope) => asUsage(() => updateClient(scope, id, changes, CLIENT_FLAGS, { privileged: true })));
  if (!updated) throw new Error(`no client with id "${id}"`);
  for (const warning of updated.warnings) io.err(`warning: ${warning}`);
  io.out(values.json ? JSON.stringify(describeClient(updated.client)) : `Updated client ${id}. See it with: gatehouse client show ${id}`);
  return 0;
});
