/**
 * A database URL fit to show (errors, `gatehouse doctor`, the CLI's "no database" message): the
 * password, and any query parameter named like one, replaced by `***`. A URL that does not parse
 * is masked by pattern.
 */
export function redactedDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    for (const key of [...parsed.searchParams.keys()]) if (/pass/i.test(key)) parsed.searchParams.set(key, '***');
    return parsed.href;
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
  }
}
