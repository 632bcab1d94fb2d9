import { parseArgs } from 'node:util';
import type { ApiDefinition, AttributeTarget, ScopeDefinition } from '../claims/config.js';
import { ClaimsService } from '../claims/service.js';
import type { IssuerScope } from '../issuers/scope.js';
import { dispatch, parseIdArgs, parseOrUsage, positionals, table, withHelp, withScope } from './common.js';
import { deleteDefinition, listDefinitions } from './definition-commands.js';
import { type CliIo, CliUsageError } from './io.js';
import { findOrganization } from './org-common.js';
import { findUser } from './user-find.js';

const claimsOf = (scope: IssuerScope): ClaimsService => new ClaimsService(scope.services, scope.id);

function parseJson(raw: string, what: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new CliUsageError(`${what} is not JSON: ${raw.slice(0, 80)}`);
  }
}

// ---- gatehouse api ----

const API_USAGE = `Usage: gatehouse api <subcommand> [options]

Subcommands:
  create --identifier URI --name NAME [--scope NAME[=DESCRIPTION]]... [--ttl SECONDS] [--claim NAME]...
                                 register (or replace) an API, a resource server apps get tokens for
  list                           list the issuer's APIs
  delete <identifier>            delete an API

Clients are allowed an API with "gatehouse client update <id> --resource URI" and its scopes
with --scope. Tokens for it have its identifier as their only audience (RFC 8707); see
docs/scopes-and-claims.md. Every subcommand accepts --json and --help.`;

const API_HELP = {
  create: `Usage: gatehouse api create --identifier URI --name NAME [--scope NAME[=DESCRIPTION]]... [--ttl SECONDS] [--claim NAME]... [--json]

Registers an API (resource server) of the issuer, or replaces the one with that identifier.
  --identifier  the RFC 8707 resource URI apps name in "resource", e.g. https://api.coinpay.example
  --scope       one of its scopes, with what it lets the app do: --scope "payments=Make payments"
  --ttl         seconds its access tokens live (30 to 86400; default: the issuer's)
  --claim       a claim about the user its access tokens carry: an attribute (gatehouse attr)
                or a built-in claim (email, name, wallets, organizations, ...)
Exits with 2 when a scope is taken, a claim is unknown or reserved.`,
  list: `Usage: gatehouse api list [--json]

Lists the issuer's APIs: identifier, name, scopes, token lifetime and claims.`,
  delete: `Usage: gatehouse api delete <identifier> [--json]

Deletes the API. Exits with 1 when there is none.`,
};

function apiView(a: ApiDefinition): Record<string, unknown> {
  return { identifier: a.identifier, name: a.name, scopes: a.scopes, access_token_ttl: a.accessTokenTtl, claims: a.claims };
}

const apiCreate = withHelp(API_HELP.create, async (args, io) => {
  const { values, positionals: given } = parseOrUsage(() =>
    parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        identifier: { type: 'string' },
        name: { type: 'string' },
        scope: { type: 'string', multiple: true },
        ttl: { type: 'string' },
        claim: { type: 'string', multiple: true },
        json: { type: 'boolean' },
      },
    }),
  );
  positionals(given, []);
  if (values.identifier === undefined) throw new CliUsageError('missing --identifier (the API’s resource URI)');
  if (values.name === undefined) throw new CliUsageError('missing --name');
  if (values.ttl !== undefined && !/^\d{1,6}$/.test(values.ttl)) throw new CliUsageError('--ttl must be whole seconds');
  const scopes = (values.scope ?? []).map((s) => {
    const at = s.indexOf('=');
    return at === -1 ? { name: s } : { name: s.slice(0, at), description: s.slice(at + 1) };
  });
  const { api, created } = await withScope(io, (s) =>
    claimsOf(s).putApi({
      identifier: values.identifier,
      name: values.name,
      scopes,
      accessTokenTtl: values.ttl === undefined ? null : Number(values.ttl),
      claims: values.claim ?? [],
    }),
  );
  if (values.json) io.out(JSON.stringify({ ...apiView(api), created }));
  else io.out(`${created ? 'Registered' : 'Replaced'} API ${api.identifier} (${api.name}) with scopes: ${api.scopes.map((s) => s.name).join(' ') || '(none)'}`);
  return 0;
});

const apiList = listDefinitions({
  help: API_HELP.list,
  load: async (s) => (await claimsOf(s).config()).apis,
  view: apiView,
  empty: 'No APIs yet. Register one with: gatehouse api create --help',
  headers: ['IDENTIFIER', 'NAME', 'SCOPES', 'TTL', 'CLAIMS'],
  cells: (a) => [a.identifier, a.name, a.scopes.map((s) => s.name).join(' '), a.accessTokenTtl === null ? '-' : String(a.accessTokenTtl), a.claims.join(' ')],
});

const apiDelete = deleteDefinition({
  help: API_HELP.delete,
  key: 'identifier',
  remove: (s, identifier) => claimsOf(s).deleteApi(identifier),
  done: (identifier) => `Deleted API ${identifier}.`,
});

export function apiCommand(args: string[], io: CliIo): Promise<number> {
  return dispatch(args, io, API_USAGE, { create: apiCreate, list: apiList, delete: apiDelete });
}

// ---- gatehouse scope ----

const SCOPE_USAGE = `Usage: gatehouse scope <subcommand> [options]

Subcommands:
  create <name> --description TEXT [--description LANG=TEXT]... [--claim NAME]... [--required] [--id-token]
                                 define (or replace) a user-facing scope of the issuer
  list                           list the issuer's own scopes
  delete <name>                  delete one

Built-in scopes (openid profile email organizations wallets offline_access) cannot be redefined.
Every subcommand accepts --json and --help.`;

const SCOPE_HELP = {
  create: `Usage: gatehouse scope create <name> --description TEXT [--description LANG=TEXT]... [--claim NAME]... [--required] [--id-token] [--json]

Defines a scope apps may ask for, shown on the consent page with its description in the user's
language: a plain --description is English, "--description de=…" German (de fr es ar).
  --claim     a claim it releases: an attribute (gatehouse attr) or a built-in claim
  --required  the user cannot untick it on the consent page (default: optional)
  --id-token  its claims go into the ID token even when the app also gets a userinfo token`,
  list: `Usage: gatehouse scope list [--json]`,
  delete: `Usage: gatehouse scope delete <name> [--json]`,
};

function scopeView(s: ScopeDefinition): Record<string, unknown> {
  return { name: s.name, descriptions: s.descriptions, claims: s.claims, optional: s.optional, id_token: s.idToken };
}

const scopeCreate = withHelp(SCOPE_HELP.create, async (args, io) => {
  const { values, positionals: given } = parseOrUsage(() =>
    parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        description: { type: 'string', multiple: true },
        claim: { type: 'string', multiple: true },
        required: { type: 'boolean' },
        'id-token': { type: 'boolean' },
        json: { type: 'boolean' },
      },
    }),
  );
  const [name = ''] = positionals(given, ['name']);
  const descriptions: Record<string, string> = {};
  for (const d of values.description ?? []) {
    const match = /^([a-z]{2})=(.*)$/s.exec(d);
    if (match) descriptions[match[1] as string] = match[2] as string;
    else descriptions.en = d;
  }
  const { scope, created } = await withScope(io, (s) =>
    claimsOf(s).putScope({ name, descriptions, claims: values.claim ?? [], optional: !values.required, idToken: values['id-token'] === true }),
  );
  if (values.json) io.out(JSON.stringify({ ...scopeView(scope), created }));
  else io.out(`${created ? 'Defined' : 'Replaced'} scope ${scope.name}${scope.claims.length ? ` releasing ${scope.claims.join(' ')}` : ''}.`);
  return 0;
});

const scopeList = listDefinitions({
  help: SCOPE_HELP.list,
  load: async (s) => (await claimsOf(s).config()).scopes,
  view: scopeView,
  empty: 'No scopes of the issuer’s own yet. Define one with: gatehouse scope create --help',
  headers: ['NAME', 'CLAIMS', 'CONSENT', 'DESCRIPTION'],
  cells: (s) => [s.name, s.claims.join(' '), s.optional ? 'optional' : 'required', s.descriptions.en],
});

const scopeDelete = deleteDefinition({
  help: SCOPE_HELP.delete,
  key: 'name',
  remove: (s, name) => claimsOf(s).deleteScope(name),
  done: (name) => `Deleted scope ${name}.`,
});

export function scopeCommand(args: string[], io: CliIo): Promise<number> {
  return dispatch(args, io, SCOPE_USAGE, { create: scopeCreate, list: scopeList, delete: scopeDelete });
}

// ---- gatehouse attr ----

const ATTR_USAGE = `Usage: gatehouse attr <subcommand> [options]

Subcommands:
  define <name> --schema JSON [--target user|organization] [--description TEXT]
                                 define (or replace) a typed attribute: the claim of that name
  list                           list the attribute definitions
  delete <name>                  delete one and every value of it (refused while a scope or API releases it)

Values are set with "gatehouse user attr set" and "gatehouse org attr set". Every subcommand
accepts --json and --help.`;

const ATTR_HELP = {
  define: `Usage: gatehouse attr define <name> --schema JSON [--target user|organization] [--description TEXT] [--json]

Defines an attribute whose values must match the JSON schema (the subset in
docs/scopes-and-claims.md), e.g.
  gatehouse attr define kyc --schema '{"type":"object","properties":{"status":{"enum":["none","pending","verified","rejected"]},"level":{"type":"integer","minimum":0,"maximum":3},"verified_at":{"type":"string","format":"date-time"}},"required":["status","level"]}'
Reserved claims (iss sub aud exp iat nbf jti client_id scope cnf auth_time acr amr sid) are refused.`,
  list: `Usage: gatehouse attr list [--json]`,
  delete: `Usage: gatehouse attr delete <name> [--json]`,
};

const attrDefine = withHelp(ATTR_HELP.define, async (args, io) => {
  const { values, positionals: given } = parseOrUsage(() =>
    parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: { schema: { type: 'string' }, target: { type: 'string' }, description: { type: 'string' }, json: { type: 'boolean' } },
    }),
  );
  const [name = ''] = positionals(given, ['name']);
  if (values.schema === undefined) throw new CliUsageError('missing --schema (a JSON schema)');
  const schema = parseJson(values.schema, '--schema');
  const { attribute, created } = await withScope(io, (s) =>
    claimsOf(s).putAttribute({ name, schema, target: values.target ?? 'user', description: values.description }),
  );
  if (values.json) io.out(JSON.stringify({ ...attribute, created }));
  else io.out(`${created ? 'Defined' : 'Replaced'} the ${attribute.target} attribute ${attribute.name}.`);
  return 0;
});

const attrList = listDefinitions({
  help: ATTR_HELP.list,
  load: async (s) => (await claimsOf(s).config()).attributes,
  view: (a) => a,
  empty: 'No attributes yet. Define one with: gatehouse attr define --help',
  headers: ['NAME', 'TARGET', 'SCHEMA'],
  cells: (a) => [a.name, a.target, JSON.stringify(a.schema).slice(0, 80)],
});

const attrDelete = deleteDefinition({
  help: ATTR_HELP.delete,
  key: 'name',
  remove: (s, name) => claimsOf(s).deleteAttribute(name),
  done: (name) => `Deleted attribute ${name} and its values.`,
});

export function attrCommand(args: string[], io: CliIo): Promise<number> {
  return dispatch(args, io, ATTR_USAGE, { define: attrDefine, list: attrList, delete: attrDelete });
}

// ---- gatehouse user attr / gatehouse org attr ----

/** `user attr` or `org attr`: set, unset and list one subject's attribute values. */
export function subjectAttrCommand(target: AttributeTarget): (args: string[], io: CliIo) => Promise<number> {
  const noun = target === 'user' ? 'user' : 'org';
  const who = target === 'user' ? 'user-id-or-email' : 'org-id';
  const usage = `Usage: gatehouse ${noun} attr <subcommand> [options]

Subcommands:
  set <${who}> <name> <json>     set an attribute; the value must match its schema (gatehouse attr)
  unset <${who}> <name>          remove it
  list <${who}>                  print every attribute set

Example: gatehouse ${noun} attr set ${target === 'user' ? 'ada@example.com' : 'org_123'} kyc '{"status":"verified","level":2}'
The value shows in the next token, refresh and userinfo answer. Every subcommand accepts --json.`;
  const subject = async (scope: IssuerScope, id: string): Promise<string> =>
    target === 'user' ? (await findUser(scope.repos, id)).id : (await findOrganization(scope.repos, id)).id;

  const set = withHelp(usage, async (args, io) => {
    const {
      ids: [id = '', name = '', raw = ''],
      json,
    } = parseIdArgs(args, [who, 'name', 'json']);
    const value = parseJson(raw, 'the value');
    const values = await withScope(io, async (s) => {
      const subjectId = await subject(s, id);
      await claimsOf(s).setAttribute(target, subjectId, name, value);
      return claimsOf(s).attributesOf(target, subjectId);
    });
    io.out(json ? JSON.stringify(values) : `Set ${name} of ${id}.`);
    return 0;
  });
  const unset = withHelp(usage, async (args, io) => {
    const {
      ids: [id = '', name = ''],
      json,
    } = parseIdArgs(args, [who, 'name']);
    const removed = await withScope(io, async (s) => claimsOf(s).unsetAttribute(target, await subject(s, id), name));
    io.out(json ? JSON.stringify({ removed }) : removed ? `Removed ${name} of ${id}.` : `${id} had no ${name}.`);
    return 0;
  });
  const list = withHelp(usage, async (args, io) => {
    const {
      ids: [id = ''],
      json,
    } = parseIdArgs(args, [who]);
    const values = await withScope(io, async (s) => claimsOf(s).attributesOf(target, await subject(s, id)));
    if (json) io.out(JSON.stringify(values));
    else if (Object.keys(values).length === 0) io.out(`${id} has no attributes.`);
    else
      io.out(
        table(
          ['NAME', 'VALUE'],
          Object.entries(values).map(([k, v]) => [k, JSON.stringify(v)]),
        ),
      );
    return 0;
  });
  return (args, io) => dispatch(args, io, usage, { set, unset, list });
}
