import { PASSWORD_MAX, PASSWORD_MIN, passwordLengthIssue } from '../auth/password-policy.js';
import { type Text, say } from '../pages/translator.js';

/** What is wrong with a new password typed twice, for the person; undefined when nothing is. */
export function newPasswordProblem(password: string, confirm: string): Text | undefined {
  if (password === '' || confirm === '') return say('password.twice');
  if (password !== confirm) return say('password.different');
  const issue = passwordLengthIssue(password);
  if (issue === 'short') return say('password.tooShort', { count: PASSWORD_MIN });
  if (issue === 'long') return say('password.tooLong', { count: PASSWORD_MAX });
  return undefined;
}
