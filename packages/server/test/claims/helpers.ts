import { ClaimsService } from '../../src/claims/service.js';
import type { TestContext } from '../helpers/harness.js';

export const PAYMENTS_API = 'https://api.coinpay.example';
export const LEDGER_API = 'https://ledger.coinpay.example';

export const KYC_SCHEMA = {
  type: 'object',
  properties: {
    status: { enum: ['none', 'pending', 'verified', 'rejected'] },
    level: { type: 'integer', minimum: 0, maximum: 3 },
    verified_at: { type: 'string', format: 'date-time' },
  },
  required: ['status', 'level'],
  additionalProperties: false,
};

/**
 * The seed's configuration on the default issuer: the `kyc` attribute and scope (in the ID
 * token), an organization attribute `tier` released by `membership` (userinfo only), the
 * payments API with its scopes, lifetime and claims, and a second API the grant never covers.
 */
export async function configureSeed(ctx: TestContext): Promise<ClaimsService> {
  const claims = new ClaimsService(ctx.services, ctx.scope.id);
  await claims.putAttribute({ name: 'kyc', schema: KYC_SCHEMA, description: 'KYC status and verification level' });
  await claims.putAttribute({ name: 'tier', target: 'organization', schema: { enum: ['free', 'pro'] } });
  await claims.putScope({
    name: 'kyc',
    descriptions: { en: 'See your KYC status and verification level', de: 'Ihren KYC-Status und Ihre Verifizierungsstufe sehen', fr: 'Voir votre statut KYC' },
    claims: ['kyc'],
    idToken: true,
  });
  await claims.putScope({ name: 'membership', descriptions: { en: 'See the plan of your organizations' }, claims: ['tier'], optional: false });
  await claims.putApi({
    identifier: PAYMENTS_API,
    name: 'CoinPay API',
    scopes: [
      { name: 'payments', description: 'Make payments on your behalf' },
      { name: 'payments:refund', description: 'Refund payments' },
    ],
    accessTokenTtl: 300,
    claims: ['kyc', 'wallets', 'email'],
  });
  await claims.putApi({ identifier: LEDGER_API, name: 'Ledger', scopes: ['ledger:read'] });
  return claims;
}

export const SEED_SCOPES = ['openid', 'profile', 'email', 'wallets', 'kyc', 'membership', 'payments', 'payments:refund', 'ledger:read', 'offline_access'];
