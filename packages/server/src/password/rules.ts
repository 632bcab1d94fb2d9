import { PASSWORD_MAX, PASSWORD_MIN } from '../cli/validate.js';

/** What is wrong with a new password typed twice, for the person; undefined when nothing is. */
export function newPasswordProblem(password: string, confirm: string): string | undefined {
  if (password === '' || confirm === '') return 'Enter the new password twice.';
  if (password !== confirm) return 'The two passwords are not the same.';
  // Counted in characters, not UTF-16 units, as `gatehouse user set-password` counts them.
  const length = [...password].length;
  if (length < PASSWORD_MIN) return `The password must be at least ${PASSWORD_MIN} characters.`;
  if (length > PASSWORD_MAX) return `The password must be at most ${PASSWORD_MAX} characters.`;
  return undefined;
}
