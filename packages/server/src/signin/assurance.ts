/**
 * How a user proved who they are: the RFC 8176 `amr` values of the methods used, and the `acr`
 * (OIDC Core §2) level they make. Gatehouse's levels are its own absolute URIs, advertised in
 * discovery: one factor, or two of different kinds (something known, something held, something
 * one is); later sign-in methods add their amr values and the level follows.
 */
export interface Authentication {
  amr: readonly string[];
  acr: string;
}

export const ACR_ONE_FACTOR = 'urn:gatehouse:acr:1fa';
export const ACR_TWO_FACTORS = 'urn:gatehouse:acr:2fa';
export const ACR_VALUES_SUPPORTED: readonly string[] = [ACR_ONE_FACTOR, ACR_TWO_FACTORS];

/** RFC 8176 values by the kind of factor they are; `mfa` itself is derived, never a method. */
const FACTOR_KIND: Readonly<Record<string, 'knows' | 'has' | 'is'>> = {
  pwd: 'knows',
  pin: 'knows',
  kba: 'knows',
  otp: 'has',
  hwk: 'has',
  swk: 'has',
  sms: 'has',
  tel: 'has',
  pop: 'has',
  fpt: 'is',
  face: 'is',
  iris: 'is',
  user: 'is',
};

/** What a sign-in with these methods amounts to; two kinds of factor add `mfa` (RFC 8176 §2). */
export function authenticatedBy(methods: readonly string[]): Authentication {
  const amr = [...new Set(methods.filter((m) => m !== 'mfa'))];
  const kinds = new Set(amr.map((m) => FACTOR_KIND[m]).filter((k) => k !== undefined));
  if (kinds.size >= 2) return { amr: [...amr, 'mfa'], acr: ACR_TWO_FACTORS };
  return { amr, acr: ACR_ONE_FACTOR };
}

/** A password sign-in, today's only first factor. */
export const PASSWORD: Authentication = authenticatedBy(['pwd']);

/** The stored form of `amr` (space-separated, like a scope). */
export function storedAmr(amr: readonly string[]): string {
  return amr.join(' ');
}

/** `amr` as stored; undefined for rows from before it was kept. */
export function readAmr(stored: string | null): string[] | undefined {
  return stored ? stored.split(' ') : undefined;
}
