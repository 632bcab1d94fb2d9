import type { ClaimSource } from '../tokens/claim-sources.js';
import { WalletRepository } from '../store/repos/wallets.js';

/** The scope that releases the `wallets` claim. */
export const WALLETS_SCOPE = 'wallets';

/** listForUser reads no time: a repository over the context's database needs no clock of its own. */
const noClock = (): number => 0;

/**
 * The `wallets` claim: the user's linked Ethereum addresses, EIP-55 checksummed, oldest link
 * first (an empty array when none is linked). Read each time, in the transaction that spends the
 * code or refresh token, so an unlinked address leaves the next token. Like `organizations` it
 * goes into the ID token too: apps that gate on a wallet read it there.
 */
export const WALLETS_SOURCE: ClaimSource = {
  kind: 'async',
  scope: WALLETS_SCOPE,
  claims: ['wallets'],
  idToken: 'always',
  resolve: async ({ db, issuerId, user }) => ({
    wallets: (await new WalletRepository(db, noClock, issuerId).listForUser(user.id)).map((wallet) => wallet.address),
  }),
};
