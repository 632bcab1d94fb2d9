import type { Kysely, Migration } from 'kysely';

// Ethereum wallets a user linked by signing an EIP-4361 message (wallets/), and the single-use
// nonces of those messages and of the wallet second factor's EIP-712 challenges.
export const wallets: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('wallets')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('users.id').onDelete('cascade'))
      // EIP-55 checksummed, 0x and 40 hex digits.
      .addColumn('address', 'varchar(42)', (c) => c.notNull())
      .addColumn('chain_id', 'bigint', (c) => c.notNull())
      .addColumn('label', 'varchar(100)')
      .addColumn('linked_at', 'bigint', (c) => c.notNull())
      .addColumn('last_used_at', 'bigint')
      // One account per address and issuer: the address is what the second factor recognises.
      .addUniqueConstraint('wallets_issuer_address', ['issuer_id', 'address'])
      .execute();
    await db.schema.createIndex('wallets_issuer_user').on('wallets').columns(['issuer_id', 'user_id']).execute();
    await db.schema
      .createTable('wallet_challenges')
      .addColumn('issuer_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('nonce', 'varchar(64)', (c) => c.notNull())
      // 'link' (an EIP-4361 message, bound to a session) or 'sign_in' (EIP-712, bound to an interaction).
      .addColumn('purpose', 'varchar(16)', (c) => c.notNull())
      // The session id (its cookie's hash) or the interaction id the nonce is good for.
      .addColumn('binding', 'varchar(128)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('address', 'varchar(42)')
      .addColumn('chain_id', 'bigint', (c) => c.notNull())
      .addColumn('issued_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .addPrimaryKeyConstraint('wallet_challenges_pk', ['issuer_id', 'nonce'])
      .execute();
    await db.schema.createIndex('wallet_challenges_expiry').on('wallet_challenges').column('expires_at').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('wallet_challenges').execute();
    await db.schema.dropTable('wallets').execute();
  },
};
