/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Html } from '../../pages/layout.js';
import type { Inspection } from '../inspect.js';
import { ConsoleLayout, Csrf, type Frame, Notice } from '../layout.js';
import { CONSOLE_PATHS } from '../paths.js';
import type { ClientView } from './apps.js';

/** How a try ended: the tokens decoded, or the error the flow or the token endpoint gave. */
export interface TryOutcome {
  app?: ClientView;
  error?: string;
  description?: string;
  scope?: string;
  expiresIn?: number;
  subject?: string;
  nonceChecked?: boolean;
  idToken?: Inspection;
  accessToken?: Inspection;
}

const appPath = (id: string, rest = ''): string => `${CONSOLE_PATHS.apps}/${encodeURIComponent(id)}${rest}`;

/** The "Try sign-in" panel of an app's page: first add the try address, then try (with the secret for a confidential app). */
export function TryPanel(props: { frame: Frame; app: ClientView; tryUri: string }): Html {
  const { scope, t } = props.frame;
  const { app } = props;
  if (!app.grant_types.includes('authorization_code')) return <></>;
  const enabled = app.redirect_uris.includes(props.tryUri);
  return (
    <section class="panel" id="try" aria-labelledby="try-title">
      <h2 id="try-title">{t.t('try.title')}</h2>
      <p>{t.t('try.intro')}</p>
      <form method="post" action={scope.path(appPath(app.client_id, '/try'))}>
        <Csrf frame={props.frame} />
        {enabled ? (
          <>
            {app.token_endpoint_auth_method === 'none' ? null : (
              <>
                <label for="try-secret">{t.t('try.secret')}</label>
                <p class="hint" id="try-secret-hint">
                  {t.t('try.secretHint')}
                </p>
                <input id="try-secret" name="client_secret" type="password" dir="ltr" required autocomplete="off" aria-describedby="try-secret-hint" />
              </>
            )}
            <p class="actions">
              <button type="submit" class="secondary">
                {t.t('try.start')}
              </button>
            </p>
          </>
        ) : (
          <>
            <p>{t.t('try.enableText')}</p>
            <p>
              <code dir="ltr">{props.tryUri}</code>
            </p>
            <input type="hidden" name="enable" value="1" />
            <p class="actions">
              <button type="submit" class="secondary">
                {t.t('try.enable')}
              </button>
            </p>
          </>
        )}
      </form>
    </section>
  );
}

function Decoded(props: { frame: Frame; title: string; inspection: Inspection; id: string }): Html {
  const { t } = props.frame;
  const ok = props.inspection.findings.every((f) => f.ok);
  return (
    <section aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>
        {props.title} <span class={ok ? 'ok' : 'bad'}>{ok ? t.t('inspect.valid') : t.t('inspect.invalid')}</span>
      </h2>
      <ul class="findings">
        {props.inspection.findings.map((f) => (
          <li class={f.ok ? 'ok' : 'bad'}>
            <span aria-hidden="true">{f.ok ? '✓ ' : '✗ '}</span>
            {t.t(f.key, f.values)}
          </li>
        ))}
      </ul>
      {props.inspection.payload ? (
        <pre class="code" dir="ltr" tabindex={0} id={`${props.id}-claims`}>
          <code>{props.inspection.payload}</code>
        </pre>
      ) : null}
    </section>
  );
}

/** Where a try ends: the tokens the app would get, decoded and checked, or why there are none. */
export function TryResultPage(props: { frame: Frame; outcome: TryOutcome }): Html {
  const { scope, t } = props.frame;
  const { outcome } = props;
  const title = t.t('try.resultTitle');
  return (
    <ConsoleLayout frame={props.frame} title={title}>
      <h1 id="page-title">{title}</h1>
      {outcome.error ? (
        <Notice kind="error">
          {outcome.error === 'flow' ? t.t('try.flow') : t.t('try.failed', { error: outcome.error })}
          {outcome.description ? (
            <>
              {' '}
              <span lang="en">{outcome.description}</span>
            </>
          ) : null}
        </Notice>
      ) : (
        <>
          <Notice kind="ok">{t.t('try.done')}</Notice>
          <dl class="facts">
            <dt>{t.t('try.subject')}</dt>
            <dd>
              <code dir="ltr" id="try-subject">
                {outcome.subject ?? '—'}
              </code>
            </dd>
            <dt>{t.t('try.scope')}</dt>
            <dd dir="ltr">{outcome.scope ?? '—'}</dd>
            <dt>{t.t('try.expiresIn')}</dt>
            <dd>{outcome.expiresIn !== undefined ? t.number(outcome.expiresIn) : '—'}</dd>
            <dt>{t.t('try.nonce')}</dt>
            <dd>{t.t(outcome.nonceChecked ? 'try.yes' : 'try.no')}</dd>
          </dl>
          {outcome.idToken ? <Decoded frame={props.frame} title={t.t('inspect.kind.id_token')} inspection={outcome.idToken} id="id-token" /> : null}
          {outcome.accessToken ? (
            <Decoded frame={props.frame} title={t.t('inspect.kind.access_token')} inspection={outcome.accessToken} id="access-token" />
          ) : null}
        </>
      )}
      {outcome.app ? (
        <p class="actions">
          <a class="button primary" href={scope.path(`${appPath(outcome.app.client_id)}#try`)}>
            {t.t('try.back', { name: outcome.app.client_name })}
          </a>
        </p>
      ) : null}
    </ConsoleLayout>
  );
}
