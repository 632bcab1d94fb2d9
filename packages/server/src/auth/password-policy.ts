/** The password rule, for every way a password is set (CLI, reset page). */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 1024;

/**
 * What breaks the rule, as "must be at least 8 characters", or undefined. Counted in characters,
 * not UTF-16 units, so an emoji is one.
 */
export function passwordLengthProblem(password: string): string | undefined {
  const issue = passwordLengthIssue(password);
  if (issue === 'short') return `must be at least ${PASSWORD_MIN} characters`;
  if (issue === 'long') return `must be at most ${PASSWORD_MAX} characters`;
  return undefined;
}

/** Which way a password breaks the rule, for messages in other words and languages. */
export function passwordLengthIssue(password: string): 'short' | 'long' | undefined {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return 'short';
  if (length > PASSWORD_MAX) return 'long';
  return undefined;
}
