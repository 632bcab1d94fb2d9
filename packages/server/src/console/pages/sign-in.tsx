/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Html } from '../../pages/layout.js';
import { ConsoleLayout, type Frame } from '../layout.js';
import { CONSOLE_PATHS } from '../paths.js';

/** After signing out of the console: a way back in. */
export function SignedOutPage(props: { frame: Frame; ready?: boolean }): Html {
  const { scope, t } = props.frame;
  const title = props.ready ? t.t('setup.readyTitle') : t.t('signIn.signedOut');
  return (
    <ConsoleLayout frame={props.frame} title={title}>
      <section class="narrow">
        <h1 id="page-title">{title}</h1>
        <p>{props.ready ? t.t('setup.ready') : t.t('signIn.signedOutText')}</p>
        <p class="actions">
          <a class="button primary" href={scope.path(CONSOLE_PATHS.signIn)}>
            {props.ready ? t.t('signIn.start') : t.t('signIn.again')}
          </a>
        </p>
      </section>
    </ConsoleLayout>
  );
}

/** A console sign-in that did not end in a session, and why, in plain words. */
export function SignInProblemPage(props: { frame: Frame; reason: 'flow' | 'denied' | 'notAdmin' }): Html {
  const { scope, t } = props.frame;
  const title = props.reason === 'notAdmin' ? t.t('signIn.notAdminTitle') : t.t('signIn.failedTitle');
  const text =
    props.reason === 'notAdmin'
      ? t.t('signIn.notAdmin', { brand: scope.settings.brand.name })
      : props.reason === 'denied'
        ? t.t('signIn.denied')
        : t.t('signIn.flow');
  return (
    <ConsoleLayout frame={props.frame} title={title}>
      <section class="narrow">
        <h1 id="page-title">{title}</h1>
        <p role="alert">{text}</p>
        <SignInAgain frame={props.frame} />
      </section>
    </ConsoleLayout>
  );
}

/** The way back in from a page that ends outside the console. */
export function SignInAgain(props: { frame: Frame }): Html {
  const { scope, t } = props.frame;
  return (
    <p class="actions">
      <a class="button primary" href={scope.path(CONSOLE_PATHS.signIn)}>
        {t.t('signIn.again')}
      </a>
    </p>
  );
}
