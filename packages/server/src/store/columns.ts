import { type RawBuilder, sql } from 'kysely';
import type { Database } from './schema.js';

type Missing<T extends keyof Database, L extends readonly string[]> = Exclude<keyof Database[T], L[number]>;

/**
 * A table's whole column list, spelled out so statements name their columns instead of `*`
 * (PostgreSQL can then keep them prepared across migrations that add columns, see
 * pg-prepared.ts). The compiler rejects a list that misses one of the table's columns.
 */
export function allColumns<T extends keyof Database>(): <const L extends readonly (keyof Database[T] & string)[]>(
  list: L & ([Missing<T, L>] extends [never] ? unknown : { missing: Missing<T, L> }),
) => L {
  return (list) => list;
}

export const CLIENT_COLUMNS = allColumns<'clients'>()([
  'id',
  'secret_hash',
  'name',
  'description',
  'redirect_uris',
  'post_logout_redirect_uris',
  'grant_types',
  'scopes',
  'resources',
  'is_public',
  'first_party',
  'id_token_alg',
  'pkce',
  'refresh_reuse_grace',
  'id_token_claims',
  'logo_uri',
  'policy_uri',
  'tos_uri',
  'app_type',
  'created_at',
  'updated_at',
  'issuer_id',
  'revision',
  'previous_secret_hash',
  'previous_secret_expires_at',
  'require_mfa',
  'backchannel_logout_uri',
  'backchannel_logout_session_required',
]);
export const USER_COLUMNS = allColumns<'users'>()([
  'id',
  'email',
  'email_verified',
  'password_hash',
  'name',
  'given_name',
  'family_name',
  'preferred_username',
  'picture',
  'disabled',
  'created_at',
  'updated_at',
  'issuer_id',
  'revision',
]);
export const SESSION_COLUMNS = allColumns<'sessions'>()([
  'id',
  'sid',
  'user_id',
  'auth_time',
  'amr',
  'acr',
  'created_at',
  'expires_at',
  'ended_at',
  'issuer_id',
  'user_agent',
  'ip',
  'last_seen_at',
]);
export const INTERACTION_COLUMNS = allColumns<'interactions'>()([
  'id',
  'browser_hash',
  'csrf_token',
  'params',
  'prompt',
  'reason',
  'user_id',
  'session_id',
  'created_at',
  'expires_at',
  'completed_at',
  'issuer_id',
]);
export const CODE_COLUMNS = allColumns<'authorization_codes'>()([
  'id',
  'client_id',
  'user_id',
  'redirect_uri',
  'code_challenge',
  'scope',
  'nonce',
  'sid',
  'auth_time',
  'amr',
  'acr',
  'resource',
  'id_token_claims',
  'created_at',
  'expires_at',
  'consumed_at',
  'grant_id',
  'issuer_id',
]);
export const GRANT_COLUMNS = allColumns<'grants'>()([
  'id',
  'client_id',
  'user_id',
  'scope',
  'sid',
  'auth_time',
  'amr',
  'acr',
  'resource',
  'created_at',
  'expires_at',
  'revoked_at',
  'issuer_id',
]);
export const REFRESH_TOKEN_COLUMNS = allColumns<'refresh_tokens'>()([
  'id',
  'grant_id',
  'client_id',
  'secret_hash',
  'previous_secret_hash',
  'created_at',
  'expires_at',
  'consumed_at',
  'issuer_id',
]);

/**
 * A table's columns qualified by its name, and optionally renamed with a prefix, for joins whose
 * tables share column names (`users.id as user_id`).
 */
export function qualified<T extends keyof Database & string, const L extends readonly string[], P extends string = ''>(
  table: T,
  columns: L,
  prefix?: P,
): { -readonly [K in keyof L]: P extends '' ? `${T}.${L[K]}` : `${T}.${L[K]} as ${P}${L[K]}` } {
  return columns.map((column) => (prefix ? `${table}.${column} as ${prefix}${column}` : `${table}.${column}`)) as never;
}

/** The columns of one table out of a joined row, where they were selected under `prefix`. */
export function unprefixed<const L extends readonly string[]>(row: Record<string, unknown>, prefix: string, columns: L): { [K in L[number]]: unknown } {
  const out: Record<string, unknown> = {};
  for (const column of columns) out[column] = row[`${prefix}${column}`];
  return out as { [K in L[number]]: unknown };
}

/** For hand-written statements: `table`'s columns as a select list, each renamed with `prefix` when given. */
export function columnList(columns: readonly string[], table: string, prefix = ''): RawBuilder<unknown> {
  return sql.raw(columns.map((c) => (prefix ? `${table}.${c} AS ${prefix}${c}` : `${table}.${c}`)).join(', '));
}

/** For hand-written statements: column names as a list (an INSERT's), read from `from` under `prefix` when given. */
export function columnNames(columns: readonly string[], options: { from?: string; prefix?: string } = {}): RawBuilder<unknown> {
  const qualifier = options.from ? `${options.from}.` : '';
  return sql.raw(columns.map((c) => `${qualifier}${options.prefix ?? ''}${c}`).join(', '));
}
