import { type DatabaseConnection, type Driver, type QueryCompiler, SqliteDialect, type SqliteDialectConfig, type TransactionSettings } from 'kysely';
import type { WalSync } from './wal-sync.js';

/** Set by the statement cache when a statement that writes is prepared on the connection. */
export interface WriteFlag {
  wrote: boolean;
}

/**
 * Kysely's SQLite driver, plus: whoever wrote while holding the (single) connection waits for
 * the WAL fsync after handing the connection back, so the next request can use the database
 * while the disk catches up, and nobody answers before their commit is on disk.
 */
class DurableSqliteDriver implements Driver {
  readonly #inner: Driver;
  readonly #flag: WriteFlag;
  readonly #wal: WalSync;

  constructor(inner: Driver, flag: WriteFlag, wal: WalSync) {
    this.#inner = inner;
    this.#flag = flag;
    this.#wal = wal;
  }

  init(): Promise<void> {
    return this.#inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.#inner.acquireConnection();
    this.#flag.wrote = false;
    return connection;
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    // A transaction holds the connection from begin to commit, so this is after its commit.
    const wrote = this.#flag.wrote;
    this.#flag.wrote = false;
    await this.#inner.releaseConnection(connection);
    if (wrote) await this.#wal.barrier();
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.rollbackTransaction(connection);
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.#inner.savepoint?.(connection, name, compile);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.#inner.rollbackToSavepoint?.(connection, name, compile);
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.#inner.releaseSavepoint?.(connection, name, compile);
  }

  async destroy(): Promise<void> {
    await this.#inner.destroy();
    this.#wal.close();
  }
}

export class DurableSqliteDialect extends SqliteDialect {
  readonly #flag: WriteFlag;
  readonly #wal: WalSync;

  constructor(config: SqliteDialectConfig, flag: WriteFlag, wal: WalSync) {
    super(config);
    this.#flag = flag;
    this.#wal = wal;
  }

  override createDriver(): Driver {
    return new DurableSqliteDriver(super.createDriver(), this.#flag, this.#wal);
  }
}
