/** `fed`: signed in through another provider. Not an RFC 8176 value (it has none for this); Gatehouse's own. */
export const FEDERATED_AMR = 'fed';
