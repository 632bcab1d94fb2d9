import { type Kysely, PostgresAdapter, type Selectable, sql } from 'kysely';
import { CODE_COLUMNS, SESSION_COLUMNS, columnNames } from '../columns.js';
import { changedRows, firstRow, prepared, preparedInsert } from '../prepared.js';
import type { AuthorizationCodeTable, Database, SessionTable } from '../schema.js';
import { EVENT_COLUMNS, eventRow, writeEventRow } from './events.js';
import { webhookFanOut } from './webhook-fan-out.js';
import { sessionStartedEvent } from './sessions.js';

/**
 * PostgreSQL: a login that ends its interaction with a code, in one statement: the interaction
 * is completed only if it still is open, and the session and the code are inserted from that
 * row, so all three happen or none does (one round trip where a transaction took five), and
 * so is the session's `session.started` event.
 */
const COMMIT_LOGIN_POSTGRES = prepared((db: Kysely<Database>, issuer: string, interactionId: string, now: number, ...values: unknown[]) => ({
  compile: () => {
    const session = values.slice(0, SESSION_COLUMNS.length);
    const code = values.slice(SESSION_COLUMNS.length, SESSION_COLUMNS.length + CODE_COLUMNS.length);
    const event = values.slice(SESSION_COLUMNS.length + CODE_COLUMNS.length);
    return sql<{ id: string }>`
      WITH done AS (
        UPDATE interactions SET completed_at = ${now} WHERE id = ${interactionId} AND issuer_id = ${issuer} AND completed_at IS NULL RETURNING id
      ), new_session AS (
        INSERT INTO sessions (${columnNames(SESSION_COLUMNS)}) SELECT ${sql.join(session)} FROM done
      ), new_code AS (
        INSERT INTO authorization_codes (${columnNames(CODE_COLUMNS)}) SELECT ${sql.join(code)} FROM done
      ), started AS (
        INSERT INTO events (${columnNames(EVENT_COLUMNS)}) SELECT ${sql.join(event)} FROM done
      ), hooked AS (
        ${webhookFanOut(event[EVENT_COLUMNS.indexOf('id')], issuer, now, sql.lit('session.started'), sql.lit('session.started'), 'done')}
      )
      SELECT id FROM done`.compile(db);
  },
}));

const COMPLETE = prepared((db: Kysely<Database>, issuer: string, id: string, now: number) =>
  db.updateTable('interactions').set({ completed_at: now }).where('id', '=', id).where('issuer_id', '=', issuer).where('completed_at', 'is', null),
);
const INSERT_SESSION = preparedInsert('sessions', SESSION_COLUMNS);
const INSERT_CODE = preparedInsert('authorization_codes', CODE_COLUMNS);

/** Thrown inside the SQLite transaction to undo the session when the interaction was already used. */
class AlreadyCompleted extends Error {}

/**
 * Completes an open interaction and stores the new session and the code it ends with,
 * atomically; false (and nothing stored) when the interaction was already completed.
 */
export async function commitLogin(
  db: Kysely<Database>,
  issuer: string,
  interactionId: string,
  now: number,
  session: Selectable<SessionTable>,
  code: Selectable<AuthorizationCodeTable>,
): Promise<boolean> {
  // The session's `session.started` event, in the same statement (PostgreSQL) or transaction.
  const started = eventRow(issuer, now, sessionStartedEvent(session));
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const values = [...SESSION_COLUMNS.map((c) => session[c]), ...CODE_COLUMNS.map((c) => code[c]), ...EVENT_COLUMNS.map((c) => started[c])];
    return (await firstRow(db, COMMIT_LOGIN_POSTGRES(db, issuer, interactionId, now, ...values))) !== undefined;
  }
  try {
    await db.transaction().execute(async (trx) => {
      if ((await changedRows(trx, COMPLETE(trx, issuer, interactionId, now))) === 0) throw new AlreadyCompleted();
      await trx.executeQuery(INSERT_SESSION(trx, session));
      await trx.executeQuery(INSERT_CODE(trx, code));
      await writeEventRow(trx, started);
    });
    return true;
  } catch (error) {
    if (error instanceof AlreadyCompleted) return false;
    throw error;
  }
}
