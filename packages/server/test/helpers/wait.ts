/**
 * Waiting in tests without depending on how fast the machine is. A test waits for an explicit
 * event or condition; the deadline here is only a guard that turns a hang into a failure naming
 * what never happened, so it is long enough that a loaded machine never reaches it.
 */
export const WAIT_GUARD_MS = 60_000;

/** Resolves once `condition` holds (checked every `intervalMs`); fails naming `what` at the guard. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  options: { guardMs?: number; intervalMs?: number; detail?: () => string } = {},
): Promise<void> {
  const end = Date.now() + (options.guardMs ?? WAIT_GUARD_MS);
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`gave up waiting until ${what}${options.detail ? `:\n${options.detail()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 20));
  }
}

/** What `promise` settles with; a failure naming `what` if it has not settled by the guard. */
export async function within<T>(promise: Promise<T>, what: string, guardMs = WAIT_GUARD_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up waiting for ${what}`)), guardMs);
  });
  try {
    return await Promise.race([promise, guard]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * True while `promise` is still pending after `ms`. Only for showing that something waits for a
 * gate the test holds shut: what is correct never settles then, so no load can fail the check.
 */
export async function stillPending(promise: Promise<unknown>, ms = 50): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), ms)));
  try {
    return await Promise.race([
      promise.then(
        () => false,
        () => false,
      ),
      pending,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
