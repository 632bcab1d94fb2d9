import type { IssuerScope } from '../../src/issuers/scope.js';
import { type TestContext, createTestContext, secondIssuer } from './harness.js';

/** Two issuers to hold apart: A is the test context's default issuer, B a second one in the same store. */
export interface TwoIssuers {
  ctx: TestContext;
  a: IssuerScope;
  b: IssuerScope;
}

/** The set-up of an isolation test (test/issuers/isolation-*.test.ts); the caller closes `ctx`. */
export async function twoIssuers(): Promise<TwoIssuers> {
  const ctx = await createTestContext();
  return { ctx, a: ctx.scope, b: await secondIssuer(ctx) };
}
