/**
 * The one script of the hosted pages (served from /assets/local-time.js, so the CSP still allows
 * no inline script): it rewrites each <time data-local> into the browser's own time zone and
 * language. Without JavaScript the server's text stays, which names its zone.
 */
export const LOCAL_TIME_SCRIPT = `(() => {
  const lang = document.documentElement.lang || undefined;
  const format = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
  for (const el of document.querySelectorAll('time[data-local]')) {
    const when = new Date(el.getAttribute('datetime'));
    if (!Number.isNaN(when.getTime())) el.textContent = format.format(when);
  }
})();
`;
