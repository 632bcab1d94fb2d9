import type { Locale } from '../pages/locales.js';
import type { ClaimsRequest } from './claims-request.js';

/** A validated authorization request: what the hosted pages carry through an interaction. */
export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string | undefined;
  nonce: string | undefined;
  codeChallenge: string;
  prompts: Prompt[];
  /** Seconds; a session older than this needs a fresh login (OIDC Core §3.1.2.1). */
  maxAge: number | undefined;
  loginHint: string | undefined;
  /** The first supported language of ui_locales: every hosted page of the request uses it. */
  uiLocale: Locale | undefined;
  /** Subject named by a valid id_token_hint: a session for anyone else is not used silently. */
  hintSub: string | undefined;
  resource: string | undefined;
  /**
   * The supported `acr_values` asked for, in order (OIDC Core §3.1.2.1: voluntary). Asking for
   * urn:gatehouse:acr:2fa makes a user who has a second factor prove it (step-up).
   */
  acrValues?: string[] | undefined;
  /** The `claims` parameter (OIDC Core §5.5): claims asked for by name, released only under a granted scope. */
  claims?: ClaimsRequest | undefined;
  /** `idp_hint`: an upstream provider to sign in through straight away (federation/hint.ts). */
  idpHint?: string | undefined;
}

export type Prompt = 'none' | 'login' | 'consent' | 'select_account';

export const PROMPTS: readonly Prompt[] = ['none', 'login', 'consent', 'select_account'];
