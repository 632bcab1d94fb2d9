import { ClientCache } from './client-cache.js';

/**
 * Clients kept by a server on SQLite. No notification tells of changes there, so the database's
 * data_version is asked before every use (a microsecond, no table read): any commit by another
 * connection, such as `gatehouse client rotate-secret` from the CLI, empties the cache, and the
 * next request reads the row again. Changes made through this process's own ClientRepository
 * forget the client directly (data_version does not count a connection's own commits).
 */
export class SqliteClientCache extends ClientCache {
  #seen: number;

  constructor(
    private readonly dataVersion: () => number,
    options: ConstructorParameters<typeof ClientCache>[0] = {},
  ) {
    super(options);
    this.#seen = dataVersion();
    this.setLive(true);
  }

  override get(id: Parameters<ClientCache['get']>[0]): ReturnType<ClientCache['get']> {
    this.#check();
    return super.get(id);
  }

  override ticket(): number {
    this.#check();
    return super.ticket();
  }

  #check(): void {
    const version = this.dataVersion();
    if (version === this.#seen) return;
    this.#seen = version;
    this.forgetAll();
  }
}
