/**
 * The RFC 8176 methods a verified passkey assertion stands for.
 *
 * - `hwk` or `swk`: proof of possession of a key. A credential that is not backup-eligible
 *   (WebAuthn's BE flag clear, `singleDevice`) lives in one authenticator's hardware and cannot
 *   leave it: `hwk`. A backup-eligible one (`multiDevice`, a synced passkey) can be copied to
 *   other devices by its provider, so its key is not hardware-bound: `swk`. The flag is fixed
 *   for a credential's life, so the same passkey always gives the same value.
 * - `user`: the authenticator verified the user itself (WebAuthn's UV flag: a PIN, a fingerprint
 *   or a face; it does not say which). That is a second kind of factor beside possession, so
 *   signin/assurance.ts makes such a sign-in `mfa` and `urn:gatehouse:acr:2fa`, as
 *   docs/sign-in.md's table has it. Without UV (a second factor that only tested presence) the
 *   passkey is possession alone.
 */
export function passkeyMethods(deviceType: 'singleDevice' | 'multiDevice', userVerified: boolean): string[] {
  const key = deviceType === 'multiDevice' ? 'swk' : 'hwk';
  return userVerified ? [key, 'user'] : [key];
}
