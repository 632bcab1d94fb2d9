/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Html } from '../../pages/layout.js';
import { ConsoleLayout, type Frame } from '../layout.js';
import { CONSOLE_PATHS } from '../paths.js';
import { SignInAgain } from './sign-in.js';
import type { ConsoleKey } from '../text/catalog.js';

export interface SetupProblem {
  field: 'email' | 'name' | 'password' | 'confirm';
  key: ConsoleKey;
}

/** The first owner's form, opened from the one-time link `gatehouse serve` printed. */
export function SetupPage(props: {
  frame: Frame;
  state: 'form' | 'owned' | 'expired';
  token: string;
  values: { email?: string; name?: string };
  problem?: SetupProblem;
}): Html {
  const { scope, t } = props.frame;
  const title = t.t('setup.title');
  if (props.state !== 'form') {
    return (
      <ConsoleLayout frame={props.frame} title={title}>
        <section class="narrow">
          <h1 id="page-title">{title}</h1>
          <p role="alert">{props.state === 'owned' ? t.t('setup.owned') : t.t('setup.expired')}</p>
          {props.state === 'expired' ? (
            <pre class="code" dir="ltr">
              <code>npx gatehouse admin create --email you@example.com --role owner</code>
            </pre>
          ) : null}
          <SignInAgain frame={props.frame} />
        </section>
      </ConsoleLayout>
    );
  }
  const problem = props.problem;
  const invalid = (field: SetupProblem['field']): { 'aria-invalid'?: 'true'; 'aria-describedby'?: string } =>
    problem?.field === field ? { 'aria-invalid': 'true', 'aria-describedby': 'setup-problem' } : {};
  return (
    <ConsoleLayout frame={props.frame} title={title}>
      <section class="narrow">
        <h1 id="page-title">{title}</h1>
        <p>{t.t('setup.intro', { brand: scope.settings.brand.name })}</p>
        {problem ? (
          <p class="error" id="setup-problem" role="alert">
            {t.t(problem.key)}
          </p>
        ) : null}
        <form method="post" action={scope.path(CONSOLE_PATHS.setup)}>
          <input type="hidden" name="token" value={props.token} />
          <label for="email">{t.t('field.email')}</label>
          <input id="email" name="email" type="email" required autocomplete="username" value={props.values.email ?? ''} {...invalid('email')} />
          <label for="name">{t.t('field.name')}</label>
          <input id="name" name="name" type="text" autocomplete="name" value={props.values.name ?? ''} {...invalid('name')} />
          <label for="password">{t.t('field.password')}</label>
          <input id="password" name="password" type="password" required minlength={8} autocomplete="new-password" {...invalid('password')} />
          <label for="confirm">{t.t('field.confirm')}</label>
          <input id="confirm" name="confirm" type="password" required minlength={8} autocomplete="new-password" {...invalid('confirm')} />
          <p class="actions">
            <button type="submit" class="primary">
              {t.t('setup.submit')}
            </button>
          </p>
        </form>
      </section>
    </ConsoleLayout>
  );
}
