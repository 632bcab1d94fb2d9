import type { Config } from '../config.js';
import type { Mailer } from '../mail/mailer.js';
import type { Services } from '../services.js';
import { RESET_LINK_TTL, RESET_PATH } from './paths.js';

/** The mailed link: the issuer and a fixed path, nothing from the request. */
export function resetLink(issuer: string, token: string): string {
  return `${issuer}${RESET_PATH}?token=${encodeURIComponent(token)}`;
}

function resetMail(config: Config, email: string, link: string): { subject: string; text: string } {
  // The brand name is free text from the environment; a header holds one line.
  const brand = config.brand.name.replace(/\p{Cc}/gu, ' ');
  return {
    subject: `Reset your ${brand} password`,
    text: `Someone, probably you, asked to reset the password of the ${brand} account ${email}.

To choose a new password, open this link within ${RESET_LINK_TTL / 60} minutes:

${link}

The link works once. If you did not ask for this, ignore this message: your password stays as it is.
`,
  };
}

/**
 * Mails a reset link if `email` belongs to an account that may sign in; otherwise does nothing.
 * Run after the answer is decided and not awaited by the request (see forgot.ts), so neither
 * the answer nor its timing depends on whether the account exists.
 */
export async function sendResetLink(services: Services, mailer: Mailer, email: string): Promise<void> {
  const user = await services.repos.users.findByEmail(email);
  if (!user || user.disabled) return;
  const token = await services.repos.passwordResets.create(user.id, RESET_LINK_TTL);
  try {
    await mailer.send({ to: user.email, ...resetMail(services.config, user.email, resetLink(services.config.issuer, token)) });
  } catch (error) {
    // SMTP replies often quote the recipient: the log names the user by id, not by address.
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new Error(`mail to user ${user.id} not sent: ${reason.split(user.email).join('<recipient>')}`);
  }
  services.logger.log('info', 'password_reset_mailed', { user: user.id });
}
