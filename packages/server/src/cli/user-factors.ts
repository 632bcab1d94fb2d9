import { resetSecondFactors } from '../factors/reset.js';
import { parseIdArgs, withHelp, withScope } from './common.js';
import { findUser } from './user-find.js';

export const RESET_FACTORS_HELP = `Usage: gatehouse user reset-factors <user-id-or-email> [--json]

Removes the user's authenticator app and recovery codes, for someone who lost both: they sign
in with their password again, and set up a new app at the next sign-in where a policy requires
one. Each removal is recorded (mfa.factor_removed, actor cli).
--json prints {"sub", "email", "totp_removed", "recovery_codes_removed"}.
Exits with 1 if there is no such user.`;

/** `gatehouse user reset-factors`: an operator's reset of a user's second factors (factors/reset.ts). */
export const userResetFactors = withHelp(RESET_FACTORS_HELP, async (args, io) => {
  const {
    ids: [idOrEmail = ''],
    json,
  } = parseIdArgs(args, ['user-id-or-email']);
  const { user, reset } = await withScope(io, async (s) => {
    const found = await findUser(s.repos, idOrEmail);
    return { user: found, reset: await resetSecondFactors(s, found.id) };
  });
  if (json) io.out(JSON.stringify({ sub: user.id, email: user.email, totp_removed: reset.totp, recovery_codes_removed: reset.recoveryCodes }));
  else
    io.out(
      `Reset ${user.email} (sub ${user.id}): ${reset.totp ? 'authenticator app removed' : 'no authenticator app'}, ${reset.recoveryCodes} recovery code(s) removed.`,
    );
  return 0;
});
