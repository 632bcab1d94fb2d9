import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuthorizationRequest } from '../../src/authorize/request.js';
import { type SignInState, authenticationStep, nextStep } from '../../src/signin/policy.js';
import { ACR_ONE_FACTOR, ACR_TWO_FACTORS, authenticatedBy } from '../../src/signin/assurance.js';

const NOW = 1_000_000;
const request = (over: Partial<AuthorizationRequest> = {}): AuthorizationRequest => ({
  clientId: 'app',
  redirectUri: 'https://app.example/cb',
  scopes: ['openid'],
  state: undefined,
  nonce: undefined,
  codeChallenge: 'x',
  prompts: [],
  maxAge: undefined,
  loginHint: undefined,
  uiLocale: undefined,
  hintSub: undefined,
  resource: undefined,
  ...over,
});
const state = (over: Partial<SignInState> = {}): SignInState => ({
  request: request(),
  session: { userId: 'u1', authTime: NOW - 100 },
  signedIn: false,
  accountChosen: false,
  accounts: 1,
  now: NOW,
  ...over,
});

describe('sign-in policy', () => {
  it('names the step and the reason', () => {
    assert.deepEqual(authenticationStep(state({ session: undefined, accounts: 0 })), { step: 'login', reason: 'no_session' });
    assert.deepEqual(authenticationStep(state({ request: request({ prompts: ['login'] }) })), { step: 'login', reason: 'login_prompt' });
    assert.deepEqual(authenticationStep(state({ request: request({ maxAge: 60 }) })), { step: 'login', reason: 'max_age' });
    assert.deepEqual(authenticationStep(state({ request: request({ maxAge: 0 }) })), { step: 'login', reason: 'max_age' });
    assert.equal(authenticationStep(state({ request: request({ maxAge: 100 }) })), undefined, 'exactly max_age old is still fine');
    assert.deepEqual(authenticationStep(state({ request: request({ hintSub: 'u2' }) })), { step: 'login', reason: 'hint_mismatch' });
    assert.deepEqual(authenticationStep(state({ request: request({ prompts: ['select_account'] }) })), { step: 'select_account', reason: 'select_account' });
    assert.deepEqual(authenticationStep(state({ request: request({ prompts: ['select_account'] }), session: undefined, accounts: 0 })), {
      step: 'login',
      reason: 'no_session',
    });
  });

  it('a login or a choice made in the interaction meets what asked for it', () => {
    assert.equal(authenticationStep(state({ request: request({ prompts: ['login'], maxAge: 0 }), signedIn: true })), undefined);
    assert.equal(authenticationStep(state({ request: request({ prompts: ['select_account'] }), accountChosen: true })), undefined);
    // Choosing an account does not prove it: max_age and prompt=login still ask for the password.
    assert.deepEqual(authenticationStep(state({ request: request({ prompts: ['select_account', 'login'] }), accountChosen: true })), {
      step: 'login',
      reason: 'login_prompt',
    });
  });

  it('reads consent only once nothing is left to prove', async () => {
    let reads = 0;
    const consented = async (): Promise<string[] | undefined> => {
      reads++;
      return undefined;
    };
    assert.deepEqual(await nextStep(state({ session: undefined }), consented), { step: 'login', reason: 'no_session' });
    assert.equal(reads, 0);
    assert.deepEqual(await nextStep(state(), consented), { step: 'consent', reason: 'consent_missing' });
    assert.deepEqual(await nextStep(state({ request: request({ prompts: ['consent'] }) }), consented), { step: 'consent', reason: 'consent_prompt' });
    assert.deepEqual(await nextStep(state(), async () => ['openid']), { step: 'done', scopes: ['openid'] });
  });
});

describe('authentication assurance', () => {
  it('one factor, or two of different kinds (RFC 8176 mfa)', () => {
    assert.deepEqual(authenticatedBy(['pwd']), { amr: ['pwd'], acr: ACR_ONE_FACTOR });
    assert.deepEqual(authenticatedBy(['pwd', 'pin']), { amr: ['pwd', 'pin'], acr: ACR_ONE_FACTOR }, 'two things known are one kind');
    assert.deepEqual(authenticatedBy(['pwd', 'otp']), { amr: ['pwd', 'otp', 'mfa'], acr: ACR_TWO_FACTORS });
    assert.deepEqual(authenticatedBy(['hwk', 'user', 'mfa']), { amr: ['hwk', 'user', 'mfa'], acr: ACR_TWO_FACTORS });
  });
});
