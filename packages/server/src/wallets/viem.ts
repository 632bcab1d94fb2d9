// viem is ~30 MB of memory and ~0.4 s of start-up (its SIWE helpers ~17 MB more): loaded when a
// wallet is first linked or checked, not when the server starts, as most issuers have no wallets.
type Viem = typeof import('viem');
type Siwe = typeof import('viem/siwe');

let viem: Promise<Viem> | undefined;
let siwe: Promise<Siwe> | undefined;

/** viem's address and signature functions, loaded once. */
export function loadViem(): Promise<Viem> {
  viem ??= import('viem');
  return viem;
}

/** viem's EIP-4361 (Sign-In with Ethereum) message functions, loaded once. */
export function loadSiwe(): Promise<Siwe> {
  siwe ??= import('viem/siwe');
  return siwe;
}
