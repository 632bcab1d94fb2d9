import { type Kysely, type Migration, PostgresAdapter, sql } from 'kysely';

// PostgreSQL only: every change to a client is announced on the channel 'gatehouse_clients'
// (client-notifications.ts), so instances that cache clients drop their copy. The notification
// is sent at commit, with the id of the row that changed ('*' for a TRUNCATE). SQLite has one
// server process, which reads its clients without a cache.
export const clientNotifications: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
    await sql`CREATE FUNCTION gatehouse_client_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_LEVEL = 'STATEMENT' THEN
          PERFORM pg_notify('gatehouse_clients', '*');
        ELSIF TG_OP = 'INSERT' THEN
          PERFORM pg_notify('gatehouse_clients', NEW.id);
        ELSE
          PERFORM pg_notify('gatehouse_clients', OLD.id);
          IF TG_OP = 'UPDATE' AND NEW.id <> OLD.id THEN
            PERFORM pg_notify('gatehouse_clients', NEW.id);
          END IF;
        END IF;
        RETURN NULL;
      END $$`.execute(db);
    await sql`CREATE TRIGGER clients_changed AFTER INSERT OR UPDATE OR DELETE ON clients
      FOR EACH ROW EXECUTE FUNCTION gatehouse_client_changed()`.execute(db);
    await sql`CREATE TRIGGER clients_truncated AFTER TRUNCATE ON clients
      FOR EACH STATEMENT EXECUTE FUNCTION gatehouse_client_changed()`.execute(db);
  },
  async down(db: Kysely<unknown>): Promise<void> {
    if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
    await sql`DROP TRIGGER clients_truncated ON clients`.execute(db);
    await sql`DROP TRIGGER clients_changed ON clients`.execute(db);
    await sql`DROP FUNCTION gatehouse_client_changed()`.execute(db);
  },
};
