/**
 * The GATEHOUSE_* variables the server reads (config.ts), so that a misspelt one is not silently
 * ignored: `gatehouse serve` warns about any other, naming the closest known one.
 */
export const KNOWN_VARIABLES: readonly string[] = [
  'GATEHOUSE_ISSUER',
  'GATEHOUSE_HOST',
  'GATEHOUSE_DATA_DIR',
  'GATEHOUSE_DATABASE_URL',
  'GATEHOUSE_DATABASE_POOL_SIZE',
  'GATEHOUSE_CLIENT_CACHE',
  'GATEHOUSE_CLIENT_CACHE_MAX_AGE',
  'GATEHOUSE_HASH_THREADS',
  'GATEHOUSE_ARGON2_MEMORY_KIB',
  'GATEHOUSE_ARGON2_ITERATIONS',
  'GATEHOUSE_SECRET',
  'GATEHOUSE_ACCESS_TOKEN_TTL',
  'GATEHOUSE_ID_TOKEN_TTL',
  'GATEHOUSE_REFRESH_TOKEN_TTL',
  'GATEHOUSE_CODE_TTL',
  'GATEHOUSE_SESSION_TTL',
  'GATEHOUSE_KEY_ROTATION_DAYS',
  'GATEHOUSE_KEY_PUBLISH_LEAD',
  'GATEHOUSE_DRAIN_SECONDS',
  'GATEHOUSE_TRUST_PROXY',
  'GATEHOUSE_BRAND_NAME',
  'GATEHOUSE_BRAND_COLOR',
  'GATEHOUSE_BRAND_BACKGROUND',
  'GATEHOUSE_LOGIN_MAX_FAILURES',
  'GATEHOUSE_LOGIN_WINDOW',
  'GATEHOUSE_SMTP_URL',
  'GATEHOUSE_MAIL_FROM',
  'GATEHOUSE_LOG_LEVEL',
  'GATEHOUSE_METRICS',
  'GATEHOUSE_METRICS_PORT',
  'GATEHOUSE_WEBHOOK_ALLOWED_HOSTS',
  'GATEHOUSE_BREACHED_PASSWORDS_URL',
];

// Read by the example app and the SDK's guides, often set in the same shell: not the server's, not a mistake.
const OTHERS = new Set(['GATEHOUSE_CLIENT_ID', 'GATEHOUSE_CLIENT_SECRET', 'GATEHOUSE_REDIRECT_URI', 'GATEHOUSE_URL']);

/** Levenshtein distance: insertions, deletions and substitutions. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** A warning for each GATEHOUSE_* variable that nothing reads, naming the closest one that is read. */
export function unknownVariableWarnings(env: Record<string, string | undefined>): string[] {
  const warnings: string[] = [];
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith('GATEHOUSE_') || KNOWN_VARIABLES.includes(name) || OTHERS.has(name)) continue;
    let closest = KNOWN_VARIABLES[0] as string;
    let best = Number.POSITIVE_INFINITY;
    for (const known of KNOWN_VARIABLES) {
      const distance = editDistance(name, known);
      if (distance < best) {
        closest = known;
        best = distance;
      }
    }
    warnings.push(`${name} is not a Gatehouse setting and is ignored; did you mean ${closest}? (docs/configuration.md lists them)`);
  }
  return warnings;
}
