import type { IssuerScope } from '../issuers/scope.js';

/** The EIP-712 types of the wallet second factor's challenge. */
export const SIGN_IN_TYPES = {
  SignIn: [
    { name: 'issuer', type: 'string' },
    { name: 'interaction', type: 'string' },
    { name: 'nonce', type: 'string' },
    { name: 'issuedAt', type: 'string' },
  ],
} as const;

/** The EIP712Domain fields of the domain below, which eth_signTypedData_v4 wants spelled out. */
const DOMAIN_TYPE = [
  { name: 'name', type: 'string' },
  { name: 'version', type: 'string' },
  { name: 'chainId', type: 'uint256' },
] as const;

export interface SignInChallenge {
  interactionId: string;
  nonce: string;
  /** Seconds since the epoch, as stored with the nonce. */
  issuedAt: number;
  chainId: number;
}

export interface SignInTypedData {
  domain: { name: string; version: string; chainId: number };
  types: typeof SIGN_IN_TYPES;
  primaryType: 'SignIn';
  message: { issuer: string; interaction: string; nonce: string; issuedAt: string };
}

/**
 * The typed data a wallet signs as a second factor: the issuer's brand as the domain name (what
 * the wallet shows), and a SignIn naming the issuer URL, the interaction and the single-use
 * nonce, so a signature proves this sign-in at this issuer and no other. The verifier rebuilds it
 * from what it stored, never from the form.
 */
export function signInTypedData(scope: IssuerScope, challenge: SignInChallenge): SignInTypedData {
  return {
    domain: { name: scope.settings.brand.name || 'Gatehouse', version: '1', chainId: challenge.chainId },
    types: SIGN_IN_TYPES,
    primaryType: 'SignIn' as const,
    message: {
      issuer: scope.url,
      interaction: challenge.interactionId,
      nonce: challenge.nonce,
      issuedAt: new Date(challenge.issuedAt * 1000).toISOString(),
    },
  };
}

/** The same, as the JSON `eth_signTypedData_v4` takes (with EIP712Domain in its types). */
export function signInTypedDataJson(scope: IssuerScope, challenge: SignInChallenge): string {
  const data = signInTypedData(scope, challenge);
  return JSON.stringify({ ...data, types: { EIP712Domain: DOMAIN_TYPE, ...data.types } });
}
