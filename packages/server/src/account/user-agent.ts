/**
 * A User-Agent header as a person reads it on the sessions page: the browser and the system it
 * runs on, by name only (no versions: they change every few weeks and tell the person nothing).
 * A small table rather than a dependency: the page needs a dozen names, not device databases,
 * and an unknown browser is shown as such. Order matters: Edge, Opera and Samsung Internet say
 * "Chrome" too, Chrome says "Safari", so the more specific tokens are tried first.
 */
export interface DeviceName {
  browser: string | undefined;
  os: string | undefined;
}

const BROWSERS: readonly (readonly [RegExp, string])[] = [
  [/\bEdg(?:e|A|iOS)?\//, 'Edge'],
  [/\b(?:OPR|Opera)\//, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bVivaldi\//, 'Vivaldi'],
  [/\bYaBrowser\//, 'Yandex Browser'],
  [/\b(?:Firefox|FxiOS)\//, 'Firefox'],
  [/\bCriOS\//, 'Chrome'],
  [/\bHeadlessChrome\//, 'Chrome'],
  [/\bChrom(?:e|ium)\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
  [/\bAppleWebKit\/.*\bMobile\//, 'Safari'],
  [/\bcurl\//, 'curl'],
];

const SYSTEMS: readonly (readonly [RegExp, string])[] = [
  [/\bWindows (?:NT|Phone)\b/, 'Windows'],
  [/\b(?:iPhone|iPad|iPod)\b/, 'iOS'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b|\bX11\b/, 'Linux'],
];

function first(table: readonly (readonly [RegExp, string])[], agent: string): string | undefined {
  return table.find(([pattern]) => pattern.test(agent))?.[1];
}

export function parseUserAgent(agent: string | null | undefined): DeviceName {
  if (!agent) return { browser: undefined, os: undefined };
  // Headers are capped at 512 characters when stored; the patterns have no nested repetition.
  const text = agent.slice(0, 512);
  return { browser: first(BROWSERS, text), os: first(SYSTEMS, text) };
}
