import { parseArgs } from 'node:util';
import { listKeys, retireKey, rotateKeys, validateSigningAlg } from '../services/keys.js';
import { dispatch, isoTime, parseIdArgs, parseOrUsage, positionals, table, withHelp, withScope } from './common.js';
import type { CliIo } from './io.js';

const USAGE = `Usage: gatehouse keys <subcommand> [options]

Subcommands:
  list                           list signing keys and their state (pending, signing, retired)
  rotate [--alg RS256|ES256|EdDSA]   start a rotation (all three algorithms without --alg)
  retire <kid>                   stop a key signing now (it stays published until its tokens expire)

Every subcommand accepts --json (one JSON document on stdout) and --help.`;

const LIST_HELP = `Usage: gatehouse keys list [--json]

Lists every signing key: kid, algorithm, status and its times (UTC).
  pending   published in the JWKS, not signing yet
  signing   signs new tokens
  retired   no longer signs; stays published until the tokens it signed have expired
--json prints an array of {"kid", "alg", "status", "created_at", "activates_at", "retires_at", "expires_at"}
(ISO 8601 times, null when not set).`;

const ROTATE_HELP = `Usage: gatehouse keys rotate [--alg RS256|ES256|EdDSA] [--now] [--json]

Makes a new signing key (for every algorithm, or only --alg). The key is stored at once; each
running server reads its keys again every GATEHOUSE_KEY_PUBLISH_LEAD / 4 seconds (at most 30)
and publishes the new key in its JWKS then. The key signs from GATEHOUSE_KEY_PUBLISH_LEAD
seconds after the rotation, so every server and every verifier that caches the JWKS (max-age
GATEHOUSE_KEY_PUBLISH_LEAD / 2, at most 60 s) knows it first; the old key stops signing then and
stays published until the tokens it signed have expired.
--json prints {"rotated": [{"alg", "kid", "activates_at"}]}.

--now makes the new key sign at once, skipping the publish lead. Use it only when the current
key cannot be used (a database restored without its GATEHOUSE_SECRET, or a leaked key): each
running server signs with the new key only once it has read its keys again (within the time
above), but accepts tokens signed with it at once (an unknown kid makes it read its keys);
other verifiers meet it before their cached JWKS has it and must refetch it once.`;

const RETIRE_HELP = `Usage: gatehouse keys retire <kid> [--json]

Stops the key signing at once (for a key you no longer trust, or to finish a rotation early).
It stays published in the JWKS until the tokens it signed have expired, so they still verify.
If it was the only key of its algorithm signing, the pending key of a rotation signs from now
in its place; without one it is refused: run "gatehouse keys rotate --alg ALG" first. Each
running server stops signing with it when it next reads its keys (every
GATEHOUSE_KEY_PUBLISH_LEAD / 4 seconds, at most 30).
A kid that starts with "-" goes after "--": gatehouse keys retire -- -AbC…
--json prints {"kid", "alg", "status", "retires_at", "expires_at", "activated"} (activated: the
kid that took over, or null).
Exits with 1 if there is no such key, it does not sign yet, it is already retired, or it is the
only key signing for its algorithm.`;

const keysList = withHelp(LIST_HELP, async (args, io) => {
  const { json } = parseIdArgs(args, []);
  const keys = await withScope(io, (s) => listKeys(s));
  const view = keys.map((k) => ({
    kid: k.kid,
    alg: k.alg,
    status: k.status,
    created_at: isoTime(k.createdAt),
    activates_at: isoTime(k.activatesAt),
    retires_at: isoTime(k.retiresAt),
    expires_at: isoTime(k.expiresAt),
  }));
  if (json) io.out(JSON.stringify(view));
  else {
    const rows = view.map((k) => [k.kid, k.alg, k.status, k.created_at, k.activates_at, k.retires_at ?? '-', k.expires_at ?? '-']);
    io.out(table(['KID', 'ALG', 'STATUS', 'CREATED', 'ACTIVATES', 'RETIRES', 'EXPIRES'], rows));
  }
  return 0;
});

const keysRotate = withHelp(ROTATE_HELP, async (args, io) => {
  const { values, positionals: given } = parseOrUsage(() =>
    parseArgs({ args, strict: true, allowPositionals: true, options: { alg: { type: 'string' }, now: { type: 'boolean' }, json: { type: 'boolean' } } }),
  );
  positionals(given, []);
  const alg = values.alg === undefined ? undefined : validateSigningAlg(values.alg, '--alg');
  const { rotated, lead, reread } = await withScope(io, (s) => rotateKeys(s, { alg, now: values.now ?? false }));
  const view = rotated.map((r) => ({ alg: r.alg, kid: r.kid, activates_at: isoTime(r.activatesAt) }));
  if (values.json) {
    io.out(JSON.stringify({ rotated: view }));
    return 0;
  }
  io.out(
    [
      values.now
        ? `New signing key${view.length === 1 ? '' : 's'}, stored and due to sign now:`
        : `New signing key${view.length === 1 ? '' : 's'}, stored now, signing after the ${lead} s publish lead:`,
      ...view.map((r) => `  ${r.alg.padEnd(6)} kid ${r.kid}  signs from ${r.activates_at}`),
      values.now
        ? `Running servers sign with it, and accept tokens signed with it, when they next read their keys: within ${reread} s. Until then they sign with the previous key, which stays published until the tokens it signed expire.`
        : `Running servers publish it in their JWKS when they next read their keys: within ${reread} s, well before it signs. The previous keys stop signing then and stay published until the tokens they signed expire.`,
    ].join('\n'),
  );
  return 0;
});

const keysRetire = withHelp(RETIRE_HELP, async (args, io) => {
  const {
    ids: [kid = ''],
    json,
  } = parseIdArgs(args, ['kid']);
  const { key, activated } = await withScope(io, (s) => retireKey(s, kid));
  if (json) {
    io.out(
      JSON.stringify({
        kid: key.kid,
        alg: key.alg,
        status: key.status,
        retires_at: isoTime(key.retiresAt),
        expires_at: isoTime(key.expiresAt),
        activated: activated?.kid ?? null,
      }),
    );
    return 0;
  }
  const lines = [`Retired ${key.alg} key ${key.kid}: it signs no more, and stays published until ${isoTime(key.expiresAt) ?? '-'}.`];
  if (activated) lines.push(`The pending key ${activated.kid} signs from now in its place.`);
  io.out(lines.join('\n'));
  return 0;
});

export async function keysCommand(args: string[], io: CliIo): Promise<number> {
  return dispatch(args, io, USAGE, { list: keysList, rotate: keysRotate, retire: keysRetire });
}
