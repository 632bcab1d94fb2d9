/**
 * Which of this app's sessions were signed in through which Gatehouse session (the ID token's
 * `sid`) and for which user (`sub`), so a logout token can find the sessions to end. In this
 * process's memory, like express-session's default store: an app with several instances and a
 * shared session store keeps this index in the shared store too (Redis, its database).
 */
export class SignedInSessions {
  readonly #bySid = new Map<string, Set<string>>();
  readonly #bySub = new Map<string, Set<string>>();
  readonly #of = new Map<string, { sid: string | undefined; sub: string }>();

  /** Notes that the app's session `sessionId` signed in as `sub` through Gatehouse session `sid`. */
  add(sessionId: string, sub: string, sid: string | undefined): void {
    this.forget(sessionId);
    this.#of.set(sessionId, { sid, sub });
    if (sid) add(this.#bySid, sid, sessionId);
    add(this.#bySub, sub, sessionId);
  }

  /** The session ended here (sign-out, a new sign-in): nothing to end for it later. */
  forget(sessionId: string): void {
    const known = this.#of.get(sessionId);
    if (!known) return;
    this.#of.delete(sessionId);
    if (known.sid) remove(this.#bySid, known.sid, sessionId);
    remove(this.#bySub, known.sub, sessionId);
  }

  /**
   * The app's sessions a logout token names, taken out of the index: those of `sid` (of `sub`
   * only, when both are given), or with `sub` alone every session of the user (Back-Channel
   * Logout 1.0 §2.6).
   */
  take(logout: { sub: string | undefined; sid: string | undefined }): string[] {
    const ids = logout.sid ? [...(this.#bySid.get(logout.sid) ?? [])] : logout.sub ? [...(this.#bySub.get(logout.sub) ?? [])] : [];
    const mine = ids.filter((id) => !logout.sub || this.#of.get(id)?.sub === logout.sub);
    for (const id of mine) this.forget(id);
    return mine;
  }
}

function add(index: Map<string, Set<string>>, key: string, id: string): void {
  const set = index.get(key) ?? new Set<string>();
  set.add(id);
  index.set(key, set);
}

function remove(index: Map<string, Set<string>>, key: string, id: string): void {
  const set = index.get(key);
  set?.delete(id);
  if (set?.size === 0) index.delete(key);
}
