import { loadViem } from './viem.js';

/** An address as stored and shown: EIP-55 checksummed; undefined for anything that is not 0x and 40 hex digits. */
export async function checksummed(value: string): Promise<`0x${string}` | undefined> {
  const trimmed = value.trim();
  const { getAddress, isAddress } = await loadViem();
  // Non-strict: an all-lowercase address is fine to type; a mixed-case one must carry a valid checksum.
  if (!isAddress(trimmed, { strict: false })) return undefined;
  if (trimmed !== trimmed.toLowerCase() && trimmed.slice(2) !== trimmed.slice(2).toUpperCase() && !isAddress(trimmed, { strict: true })) return undefined;
  return getAddress(trimmed);
}

/** A chain id (EIP-155) from a form: a positive integer, in decimal or 0x hex; Ethereum mainnet when absent. */
export function chainIdFrom(value: string | null | undefined): number | undefined {
  const text = (value ?? '').trim();
  if (text === '') return 1;
  const n = /^0x[0-9a-fA-F]{1,13}$/.test(text) ? Number.parseInt(text, 16) : /^[0-9]{1,15}$/.test(text) ? Number(text) : Number.NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** A signature as wallets give it: 65 bytes as 0x hex (r, s, v); undefined otherwise. */
export function signatureFrom(value: string | null | undefined): `0x${string}` | undefined {
  const text = (value ?? '').trim();
  return /^0x[0-9a-fA-F]{130}$/.test(text) ? (text as `0x${string}`) : undefined;
}
