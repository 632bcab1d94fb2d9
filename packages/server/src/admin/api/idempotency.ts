import type { IssuerScope } from '../../issuers/scope.js';
import { sha256 } from '../../tokens/random.js';
import type { AdminPrincipal } from './principal.js';
import { Problem, badRequest } from './problem.js';

/** A create's answer, as sent and as kept for its retries. */
export interface IdempotentAnswer {
  status: number;
  body?: unknown;
  revision?: number;
  location?: string;
  replayed?: boolean;
}

// The IETF httpapi Idempotency-Key draft's answers: 409 while the first request runs, 422 for a
// key sent again with another request.
const inProgress = (): Problem =>
  new Problem(409, 'idempotency_in_progress', 'A request with this Idempotency-Key is under way', 'Retry when it has been answered');
const keyReused = (): Problem =>
  new Problem(422, 'idempotency_key_reused', 'This Idempotency-Key was used for another request', 'Use a new key for a new request');

function label(scope: IssuerScope, principal: AdminPrincipal, key: string): string {
  return `idempotency/${scope.id}/${principal.actor}/${key}`;
}

/**
 * Runs a create at most once per key and caller for a day (store/repos/idempotency-keys.ts): a
 * retry with the same key and the same request gets the first answer again, sealed at rest as
 * it may hold a secret shown once. Only successes are kept; after a refusal the key is free.
 */
export async function withIdempotency(
  scope: IssuerScope,
  principal: AdminPrincipal,
  key: string,
  request: string,
  run: () => Promise<IdempotentAnswer>,
): Promise<IdempotentAnswer> {
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw badRequest('Idempotency-Key must be 1 to 255 printable ASCII characters', [{ field: 'header.idempotency-key', detail: 'not a valid key' }]);
  }
  const repo = scope.repos.idempotencyKeys;
  const fingerprint = sha256(request);
  const replay = async (): Promise<IdempotentAnswer> => {
    const found = await repo.find(principal.actor, key);
    if (!found) throw inProgress();
    if (found.fingerprint !== fingerprint) throw keyReused();
    if (found.status === 0) throw inProgress();
    const answer = JSON.parse(await scope.services.box.open(found.response, label(scope, principal, key))) as IdempotentAnswer;
    return { ...answer, replayed: true };
  };
  if (!(await repo.reserve(principal.actor, key, fingerprint))) return replay();
  let answer: IdempotentAnswer;
  try {
    answer = await run();
  } catch (error) {
    await repo.release(principal.actor, key);
    throw error;
  }
  if (answer.status >= 200 && answer.status < 300) {
    await repo.complete(principal.actor, key, answer.status, await scope.services.box.seal(JSON.stringify(answer), label(scope, principal, key)));
  } else {
    await repo.release(principal.actor, key);
  }
  return answer;
}
