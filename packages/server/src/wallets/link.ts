import type { IssuerScope } from '../issuers/scope.js';
import type { Session } from '../store/repos/sessions.js';
import type { User } from '../store/repos/users.js';
import type { Wallet } from '../store/repos/wallets.js';
import { signatureFrom } from './address.js';
import { requestWalletMail, sendWalletMail } from './mail.js';
import { loadSiwe, loadViem } from './viem.js';

/** How long a link message may be signed: long enough to find the wallet, short enough to be of no use later. */
export const LINK_TTL_SECONDS = 5 * 60;

/** Link messages one session may have waiting at once: enough for retries, not a way to fill the table. */
export const LIVE_LINK_CHALLENGES = 10;

/** The statement of the message; EIP-4361 allows only ASCII there, so it is not translated (the page explains it). */
const STATEMENT = 'Link this wallet to my account. This signature costs nothing and grants no permission to move funds.';

/** What EIP-4361 says the message must be bound to: the issuer's host and URL. */
export function siweDomain(scope: IssuerScope): { domain: string; uri: string } {
  return { domain: new URL(scope.url).host, uri: scope.url };
}

/**
 * Makes the message to sign to link `address` to the session's user: a fresh single-use nonce
 * bound to this issuer, this session and this address, and expiring with it. Undefined when the
 * session already has LIVE_LINK_CHALLENGES unused ones.
 */
export async function startLink(scope: IssuerScope, session: Session, address: `0x${string}`, chainId: number): Promise<string | undefined> {
  if ((await scope.repos.walletChallenges.countLive('link', session.id)) >= LIVE_LINK_CHALLENGES) return undefined;
  const challenge = await scope.repos.walletChallenges.create({
    purpose: 'link',
    binding: session.id,
    userId: session.userId,
    address,
    chainId,
    ttl: LINK_TTL_SECONDS,
  });
  const { domain, uri } = siweDomain(scope);
  const { createSiweMessage } = await loadSiwe();
  return createSiweMessage({
    domain,
    uri,
    address,
    chainId,
    nonce: challenge.nonce,
    statement: STATEMENT,
    version: '1',
    issuedAt: new Date(challenge.issuedAt * 1000),
    expirationTime: new Date(challenge.expiresAt * 1000),
  });
}

/** Why a link was refused; each has its own text on the page. */
export type LinkRefusal = 'malformed' | 'stale' | 'mismatch' | 'expired' | 'signature' | 'taken';

export type LinkResult = { ok: true; wallet: Wallet } | { ok: true; wallet: undefined } | { ok: false; reason: LinkRefusal };

/**
 * Checks a signed link message and links its address. The nonce is spent first (so a message is
 * tried once, right or wrong), then the message must be this issuer's (domain and URI), for the
 * address and chain it was made for, not expired on the server's clock, and signed by that
 * address (viem recovers the signer: EOAs, no contract wallets, as no chain is reached). The link
 * and its event are one transaction. `{ ok: true, wallet: undefined }`: it was linked already.
 */
export interface Changer {
  session: Session;
  user: User;
  /** The client's IP address, for the event. */
  ip: string | null;
  /** The page's language, for the notification mail. */
  locale: string;
}

export async function finishLink(scope: IssuerScope, who: Changer, messageText: string, signatureText: string, label: string | null): Promise<LinkResult> {
  const { session } = who;
  // A form posts a textarea's lines with CRLF; the wallet signed them with LF.
  const message = messageText.replace(/\r\n?/g, '\n').trim();
  const signature = signatureFrom(signatureText);
  if (message.length === 0 || message.length > 4096 || !signature) return { ok: false, reason: 'malformed' };
  const { parseSiweMessage, validateSiweMessage } = await loadSiwe();
  let parsed: ReturnType<typeof parseSiweMessage>;
  try {
    parsed = parseSiweMessage(message);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!parsed.nonce || !/^[0-9a-f]{32}$/.test(parsed.nonce)) return { ok: false, reason: 'malformed' };

  const challenge = await scope.repos.walletChallenges.consume(parsed.nonce, 'link', session.id, session.userId);
  if (!challenge?.address) return { ok: false, reason: 'stale' };

  const { domain, uri } = siweDomain(scope);
  const now = new Date(scope.services.clock() * 1000);
  if (parsed.uri !== uri || parsed.chainId !== challenge.chainId || !parsed.expirationTime || !parsed.issuedAt) return { ok: false, reason: 'mismatch' };
  // The issued time is the server's (a message dated later than its nonce was not made here).
  if (parsed.issuedAt.getTime() !== challenge.issuedAt * 1000 || parsed.expirationTime.getTime() > challenge.expiresAt * 1000)
    return { ok: false, reason: 'mismatch' };
  // Each check at a time of the server's clock, never the machine's: first whether the message
  // is the one asked for (as of when its nonce was made), then whether it is still good now.
  const asked = new Date(challenge.issuedAt * 1000);
  if (!validateSiweMessage({ message: parsed, domain, nonce: challenge.nonce, address: challenge.address as `0x${string}`, time: asked }))
    return { ok: false, reason: 'mismatch' };
  if (!validateSiweMessage({ message: parsed, time: now })) return { ok: false, reason: 'expired' };

  let signed = false;
  try {
    const { verifyMessage } = await loadViem();
    signed = await verifyMessage({ address: challenge.address as `0x${string}`, message, signature });
  } catch {
    // A signature that is no point on the curve: not signed by anyone.
  }
  if (!signed) return { ok: false, reason: 'signature' };

  const address = challenge.address;
  const result = await scope.transaction(async (repos): Promise<LinkResult> => {
    const outcome = await repos.wallets.link({ userId: session.userId, address, chainId: challenge.chainId, label });
    if (!outcome.linked) return outcome.reason === 'taken' ? { ok: false, reason: 'taken' } : { ok: true, wallet: undefined };
    await repos.events.record({
      type: 'wallet.linked',
      actor: `user:${session.userId}`,
      address: who.ip,
      userId: session.userId,
      payload: { wallet_id: outcome.wallet.id, address, chain_id: challenge.chainId },
    });
    await requestWalletMail(scope, repos, who.user, 'linked', address, who.locale);
    return { ok: true, wallet: outcome.wallet };
  });
  if (result.ok && result.wallet) sendWalletMail(scope);
  return result;
}

/** Unlinks one of the user's wallets, with its event in the same transaction; false when it is not theirs. */
export async function unlinkWallet(scope: IssuerScope, who: Changer, walletId: string): Promise<Wallet | undefined> {
  const userId = who.user.id;
  const unlinked = await scope.transaction(async (repos) => {
    const wallet = await repos.wallets.unlink(userId, walletId);
    if (wallet) {
      await repos.events.record({
        type: 'wallet.unlinked',
        actor: `user:${userId}`,
        address: who.ip,
        userId,
        payload: { wallet_id: wallet.id, address: wallet.address },
      });
      await requestWalletMail(scope, repos, who.user, 'unlinked', wallet.address, who.locale);
    }
    return wallet;
  });
  if (unlinked) sendWalletMail(scope);
  return unlinked;
}
