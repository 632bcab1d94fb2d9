import { randomUUID } from 'node:crypto';
import { OAuthError } from '../errors.js';
import type { IssuerScope } from '../issuers/scope.js';
import type { Services } from '../services.js';
import type { Client } from '../store/repos/clients.js';
import { type Claims, RESERVED_CLAIMS } from '../tokens/claim-sources.js';
import { postWebhook } from '../webhooks/outbound.js';
import { webhookSignature } from '../webhooks/signing.js';

/** A claims hook: an operator's HTTPS endpoint asked for extra claims at code exchange and refresh. */
export interface HookDefinition {
  name: string;
  url: string;
  /** The signing secret (whsec_…), sealed with the master secret's box (hookSecretLabel). */
  sealedSecret: string;
  /** The claims it may add: anything else in its answer is dropped. */
  claims: string[];
  /** Called only for grants with one of these scopes; every grant when empty. */
  scopes: string[];
  /** `deny`: no tokens while it fails (503, nothing spent); `omit`: tokens without its claims. */
  failure: 'deny' | 'omit';
}

/** A hook that takes longer has failed (its policy decides). */
export const HOOK_TIMEOUT_MS = 1500;

/** Waits `ms`; tests give one that resolves at once, so a silent receiver times out without waiting. */
export type HookTimer = (ms: number) => Promise<void>;

const realTimer: HookTimer = (ms) =>
  new Promise((resolve) => {
    setTimeout(resolve, ms).unref();
  });
const timers = new WeakMap<Services, HookTimer>();

/** Replaces the hook timeout's timer of a process (tests). */
export function setHookTimer(services: Services, timer: HookTimer): void {
  timers.set(services, timer);
}

export function hookSecretLabel(issuerId: string, name: string): string {
  return `claims-hook:${issuerId}:${name}`;
}

/** What a hook is called with: who, which app, which scopes and audience. */
export interface HookCall {
  event: 'code_exchange' | 'refresh';
  /** The user's id (`sub`). */
  sub: string;
  client: Client;
  scopes: readonly string[];
  resource: string | null;
}

class HookFailure extends Error {}

async function callOne(scope: IssuerScope, hook: HookDefinition, call: HookCall): Promise<Claims> {
  const { services } = scope;
  const timestamp = services.clock();
  const id = `hook_${randomUUID()}`;
  const body = JSON.stringify({
    type: 'claims.requested',
    issuer: scope.url,
    event: call.event,
    sub: call.sub,
    client_id: call.client.id,
    scopes: call.scopes,
    resource: call.resource,
  });
  const secret = await services.box.open(hook.sealedSecret, hookSecretLabel(scope.id, hook.name));
  const headers = {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': webhookSignature([secret], id, timestamp, body),
  };
  const timer = timers.get(services) ?? realTimer;
  const answer = await Promise.race([
    postWebhook(hook.url, headers, body, services.config.webhookAllowedHosts, HOOK_TIMEOUT_MS),
    timer(HOOK_TIMEOUT_MS).then(() => {
      throw new HookFailure(`no answer within ${HOOK_TIMEOUT_MS} ms`);
    }),
  ]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.excerpt);
  } catch {
    throw new HookFailure('the answer is not JSON {"claims": {…}} (within 1 KiB)');
  }
  const claims = (parsed as { claims?: unknown } | null)?.claims;
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) throw new HookFailure('the answer has no "claims" object');
  const picked: Claims = {};
  for (const name of hook.claims) {
    const value = (claims as Record<string, unknown>)[name];
    if (!RESERVED_CLAIMS.has(name) && value !== undefined && value !== null) picked[name] = value;
  }
  return picked;
}

/**
 * Calls the issuer's hooks that apply to the grant's scopes, at once, each bounded by
 * HOOK_TIMEOUT_MS, before anything is spent: a failing `deny` hook answers 503
 * temporarily_unavailable (the code or refresh token still works for a retry); a failing
 * `omit` hook's claims are left out. Returns the claims they added (only those each declares).
 */
export async function callHooks(scope: IssuerScope, hooks: readonly HookDefinition[], call: HookCall): Promise<Claims> {
  const applying = hooks.filter((h) => h.scopes.length === 0 || h.scopes.some((s) => call.scopes.includes(s)));
  if (applying.length === 0) return {};
  const results = await Promise.allSettled(applying.map((hook) => callOne(scope, hook, call)));
  const claims: Claims = {};
  for (const [i, result] of results.entries()) {
    const hook = applying[i] as HookDefinition;
    if (result.status === 'fulfilled') {
      Object.assign(claims, result.value);
      continue;
    }
    const reason = result.reason instanceof Error ? result.reason.message : String(result.reason);
    scope.services.logger.log('warn', 'claims_hook_failed', { issuer: scope.id, hook: hook.name, policy: hook.failure, reason: reason.slice(0, 200) });
    if (hook.failure === 'deny') {
      throw new OAuthError('temporarily_unavailable', 'A claims hook of the issuer did not answer; try again', { cause: result.reason });
    }
  }
  return claims;
}
