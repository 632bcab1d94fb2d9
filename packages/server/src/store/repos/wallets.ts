import type { Kysely, Selectable } from 'kysely';
import { randomId } from '../../tokens/random.js';
import type { Clock } from '../clock.js';
import type { Database, WalletTable } from '../schema.js';

/** An Ethereum wallet linked to a user of one issuer. */
export interface Wallet {
  id: string;
  userId: string;
  /** EIP-55 checksummed. */
  address: string;
  chainId: number;
  label: string | null;
  linkedAt: number;
  lastUsedAt: number | null;
}

export interface NewWallet {
  userId: string;
  address: string;
  chainId: number;
  label: string | null;
}

/** What linking an address did: linked now, linked to this user before, or taken by another account. */
export type LinkOutcome = { linked: true; wallet: Wallet } | { linked: false; reason: 'already_yours' | 'taken' };

function toWallet(row: Selectable<WalletTable>): Wallet {
  return {
    id: row.id,
    userId: row.user_id,
    address: row.address,
    chainId: row.chain_id,
    label: row.label,
    linkedAt: row.linked_at,
    lastUsedAt: row.last_used_at,
  };
}

/**
 * The wallets of one issuer's users. An address belongs to at most one account per issuer (the
 * unique constraint decides between concurrent links); the same address may be linked in
 * another issuer, which is another set of accounts.
 */
export class WalletRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** The issuer whose rows this repository reads and writes, and no other. */
    private readonly issuer: string,
  ) {}

  /** Links `address` (checksummed by the caller) to the user, unless it is linked already. */
  async link(wallet: NewWallet): Promise<LinkOutcome> {
    const row: Selectable<WalletTable> = {
      id: randomId(),
      issuer_id: this.issuer,
      user_id: wallet.userId,
      address: wallet.address,
      chain_id: wallet.chainId,
      label: wallet.label,
      linked_at: this.clock(),
      last_used_at: null,
    };
    const inserted = await this.db
      .insertInto('wallets')
      .values(row)
      .onConflict((oc) => oc.columns(['issuer_id', 'address']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return { linked: true, wallet: toWallet(row) };
    const owner = await this.findByAddress(wallet.address);
    return { linked: false, reason: owner?.userId === wallet.userId ? 'already_yours' : 'taken' };
  }

  /** The user's wallets, oldest link first. */
  async listForUser(userId: string): Promise<Wallet[]> {
    const rows = await this.db
      .selectFrom('wallets')
      .selectAll()
      .where('issuer_id', '=', this.issuer)
      .where('user_id', '=', userId)
      .orderBy('linked_at')
      .orderBy('id')
      .execute();
    return rows.map(toWallet);
  }

  async findByAddress(address: string): Promise<Wallet | undefined> {
    const row = await this.db.selectFrom('wallets').selectAll().where('issuer_id', '=', this.issuer).where('address', '=', address).executeTakeFirst();
    return row ? toWallet(row) : undefined;
  }

  /** Removes one of the user's wallets; returns it, or undefined when it is not theirs (or gone). */
  async unlink(userId: string, walletId: string): Promise<Wallet | undefined> {
    const row = await this.db
      .deleteFrom('wallets')
      .where('issuer_id', '=', this.issuer)
      .where('user_id', '=', userId)
      .where('id', '=', walletId)
      .returningAll()
      .executeTakeFirst();
    return row ? toWallet(row) : undefined;
  }

  /** Notes that the wallet proved a sign-in now. */
  async touch(walletId: string): Promise<void> {
    await this.db.updateTable('wallets').set({ last_used_at: this.clock() }).where('issuer_id', '=', this.issuer).where('id', '=', walletId).execute();
  }
}
