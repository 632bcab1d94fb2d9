import * as oauth from 'oauth4webapi';

/**
 * GitHub's user answer has an email only when the user made one public, and never says whether
 * it is verified: the addresses and their verification come from /user/emails (scope
 * user:email). The primary address counts when it is verified; otherwise the first verified one.
 */
export async function githubEmail(
  userEndpoint: string,
  accessToken: string,
  options: Parameters<typeof oauth.protectedResourceRequest>[5],
): Promise<{ email: string; email_verified: boolean } | undefined> {
  const url = new URL(`${userEndpoint.replace(/\/$/, '')}/emails`);
  const response = await oauth.protectedResourceRequest(
    accessToken,
    'GET',
    url,
    new Headers({ accept: 'application/vnd.github+json', 'user-agent': 'Gatehouse' }),
    null,
    options,
  );
  if (!response.ok) return undefined;
  const body = (await response.json()) as unknown;
  if (!Array.isArray(body)) return undefined;
  const emails = body.filter(
    (e): e is { email: string; primary?: unknown; verified?: unknown } =>
      typeof e === 'object' && e !== null && typeof (e as { email?: unknown }).email === 'string',
  );
  const chosen =
    emails.find((e) => e.primary === true && e.verified === true) ?? emails.find((e) => e.verified === true) ?? emails.find((e) => e.primary === true);
  return chosen ? { email: chosen.email, email_verified: chosen.verified === true } : undefined;
}
