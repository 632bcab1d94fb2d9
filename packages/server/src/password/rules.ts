import { passwordLengthProblem } from '../auth/password-policy.js';

/** What is wrong with a new password typed twice, for the person; undefined when nothing is. */
export function newPasswordProblem(password: string, confirm: string): string | undefined {
  if (password === '' || confirm === '') return 'Enter the new password twice.';
  if (password !== confirm) return 'The two passwords are not the same.';
  const problem = passwordLengthProblem(password);
  return problem ? `The password ${problem}.` : undefined;
}
