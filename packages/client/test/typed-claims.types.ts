// Type-level checks of the typed custom claims: compiled by tsc (scripts/typecheck.mjs, through
// tsconfig.check.json, and `npm run typecheck -w @gatehouse/client`), never run; a wrong type
// fails the typecheck, and an @ts-expect-error that no longer errors fails it too. The runtime
// half is gatehouse-server-scopes.test.ts.
import type { AccessTokenClaims, Agent, IdpClient, Profile, ResourceServer } from '../src/index.js';

interface Kyc {
  status: 'none' | 'pending' | 'verified' | 'rejected';
  level: 0 | 1 | 2 | 3;
}
interface AppClaims {
  kyc?: Kyc;
  wallets?: string[];
}

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const is = <T extends true>(): T => true as T;

// Never called: only compiled.
export function typeChecks(idp: IdpClient<AppClaims>, plain: IdpClient, rs: ResourceServer, agent: Agent<AppClaims>): void {
  is<Equal<typeof agent.profile.kyc, Kyc | undefined>>();
  is<Equal<typeof agent.profile.wallets, string[] | undefined>>();
  // The standard claims stay as they were.
  is<Equal<typeof agent.profile.sub, string>>();
  is<Equal<typeof agent.profile.email, string | undefined>>();
  // @ts-expect-error a level the type does not have
  const wrongLevel: 4 = agent.profile.kyc?.level ?? 0;
  void wrongLevel;
  // @ts-expect-error a status the type does not have
  if (agent.profile.kyc?.status === 'approved') return;

  // The client's type reaches its agents; a call may name other claims.
  void (async () => {
    const signedIn = await idp.exchangeCode('https://app/cb', 'verifier');
    is<Equal<typeof signedIn.profile.kyc, Kyc | undefined>>();
    const other = await idp.createAgent<{ plan: 'free' | 'pro' }>(signedIn.tokens);
    is<Equal<typeof other.profile.plan, 'free' | 'pro'>>();
    // Without a type, custom claims are unknown: read them only after checking.
    const untyped = await plain.exchangeCode('https://app/cb', 'verifier');
    is<Equal<typeof untyped.profile.kyc, unknown>>();
    is<Equal<typeof untyped.profile.email, Profile['email']>>();

    const claims = await rs.verify<{ kyc: Kyc }>('token', { scopes: ['payments'], claims: { kyc: { status: 'verified' } } });
    is<Equal<typeof claims.kyc.level, 0 | 1 | 2 | 3>>();
    is<Equal<typeof claims.client_id, string>>();
    const bare: AccessTokenClaims = await rs.verify('token');
    void bare;
    // @ts-expect-error a requirement must be a value, values, a predicate or an object of them
    await rs.verify('token', { claims: { level: Symbol('x') } });
  })();
}
