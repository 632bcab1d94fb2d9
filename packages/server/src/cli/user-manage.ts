import { parseArgs } from 'node:util';
import { DEFAULT_LOCALE } from '../pages/locales.js';
import { createUser, deleteUser, inviteUser } from '../services/users.js';
import { parseIdArgs, parseOrUsage, withHelp, withScope } from './common.js';
import { CliUsageError } from './io.js';
import { findUser } from './user-find.js';

/** `gatehouse user delete` and `gatehouse user invite`: the same services as the Admin API. */

export const DELETE_HELP = `Usage: gatehouse user delete <user-id-or-email> [--json]

Deletes the user: their sessions, grants (with their tokens), consents, memberships and
administrator role go with them, so every app they signed in to loses access at once. Their
events stay in the audit log. The issuer's last owner cannot be deleted.
--json prints {"sub", "email", "deleted": true}.
Exits with 1 if there is no such user or it is the last owner.`;

export const INVITE_HELP = `Usage: gatehouse user invite --email EMAIL [--name NAME] [--json]

Mails the person a link to choose their password, valid 7 days. Creates the user (without a
password) when there is none with this email; for an existing one, mails a new link. The mail
goes through the outbox: a running server sends it (and retries) if this command cannot.
Needs mail configured (GATEHOUSE_SMTP_URL).
--json prints {"sub", "email", "created"}.
Exits with 1 if mail is not configured or the user is disabled, with 2 for a bad email or name.`;

export const userDelete = withHelp(DELETE_HELP, async (args, io) => {
  const {
    ids: [idOrEmail = ''],
    json,
  } = parseIdArgs(args, ['user-id-or-email']);
  const user = await withScope(io, async (s) => {
    const found = await findUser(s.repos, idOrEmail);
    await deleteUser(s, found);
    return found;
  });
  if (json) io.out(JSON.stringify({ sub: user.id, email: user.email, deleted: true }));
  else io.out(`Deleted ${user.email} (sub ${user.id}) with their sessions, grants and memberships.`);
  return 0;
});

export const userInvite = withHelp(INVITE_HELP, async (args, io) => {
  const { values, positionals } = parseOrUsage(() =>
    parseArgs({ args, strict: true, allowPositionals: true, options: { email: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' } } }),
  );
  if (positionals.length > 0) throw new CliUsageError(`unexpected argument "${positionals[0]}"`);
  const email = values.email;
  if (email === undefined) throw new CliUsageError('--email is required');
  const { user, created } = await withScope(io, async (s) => {
    // Checked before anything is written: no user is left behind for a mail that cannot go.
    if (!s.services.outbox) throw new Error('mail is not configured (GATEHOUSE_SMTP_URL): no invitation can be sent');
    const found = await s.repos.users.findByEmail(email);
    const invitee = found ?? (await createUser(s, { email, name: values.name }, null, { email: '--email', name: '--name' }));
    await inviteUser(s, invitee, DEFAULT_LOCALE);
    return { user: invitee, created: !found };
  });
  if (values.json) io.out(JSON.stringify({ sub: user.id, email: user.email, created }));
  else io.out(`${created ? 'Created' : 'Found'} ${user.email} (sub ${user.id}); an invitation to choose a password is on its way (valid 7 days).`);
  return 0;
});
