/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Html } from '../../pages/layout.js';
import type { Inspection } from '../inspect.js';
import { ConsoleLayout, Csrf, type Frame } from '../layout.js';
import { CONSOLE_PATHS } from '../paths.js';
import type { ConsoleKey } from '../text/catalog.js';

/** Paste a JWT: decoded, and checked against this issuer, with what is wrong in plain words. */
export function InspectorPage(props: { frame: Frame; inspection?: Inspection }): Html {
  const { scope, t } = props.frame;
  const title = t.t('inspect.title');
  const result = props.inspection;
  const verdict = result?.findings.every((f) => f.ok);
  return (
    <ConsoleLayout frame={props.frame} title={title}>
      <h1 id="page-title">{title}</h1>
      <p>{t.t('inspect.intro')}</p>
      <form method="post" action={scope.path(CONSOLE_PATHS.inspector)}>
        <Csrf frame={props.frame} />
        <label for="token">{t.t('inspect.token')}</label>
        <textarea id="token" name="token" rows={5} dir="ltr" required spellcheck={false} autocomplete="off" />
        <p class="actions">
          <button type="submit" class="primary">
            {t.t('inspect.submit')}
          </button>
        </p>
      </form>
      {result ? (
        <section aria-labelledby="result-title">
          <h2 id="result-title">
            {t.t('inspect.kindOf', { kind: t.t(`inspect.kind.${result.kind}` as ConsoleKey) })}{' '}
            <span class={verdict ? 'ok' : 'bad'}>{verdict ? t.t('inspect.valid') : t.t('inspect.invalid')}</span>
          </h2>
          <ul class="findings">
            {result.findings.map((f) => (
              <li class={f.ok ? 'ok' : 'bad'}>
                <span aria-hidden="true">{f.ok ? '✓ ' : '✗ '}</span>
                {t.t(f.key, f.values)}
              </li>
            ))}
          </ul>
          {result.header ? (
            <>
              <h3>{t.t('inspect.header')}</h3>
              <pre class="code" dir="ltr" tabindex={0}>
                <code>{result.header}</code>
              </pre>
              <h3>{t.t('inspect.payload')}</h3>
              <pre class="code" dir="ltr" tabindex={0}>
                <code>{result.payload}</code>
              </pre>
            </>
          ) : null}
        </section>
      ) : null}
    </ConsoleLayout>
  );
}
