/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { type Html, Layout, type PageProps } from '../pages/layout.js';
import type { Text } from '../pages/translator.js';
import { linkPath, upstreamStartPath } from './paths.js';

export interface ProviderButton {
  id: string;
  name: string;
}

/**
 * One button per enabled provider under the sign-in form: a form post to the interaction's own
 * path (its cookie and CSRF token are checked there), no script.
 */
export function ProviderButtons(props: PageProps & { uid: string; csrf: string; providers: readonly ProviderButton[] }): Html | null {
  const { site, t, providers } = props;
  if (providers.length === 0) return null;
  return (
    <section aria-labelledby="upstream-heading" class="upstream-sign-in">
      <h2 id="upstream-heading">{t.t('federation.or')}</h2>
      <form method="post" action={site.path(upstreamStartPath(props.uid))} id="upstream-form">
        <input type="hidden" name="csrf" value={props.csrf} />
        {providers.map((p) => (
          <button type="submit" class="secondary" name="provider" value={p.id} id={`upstream-${p.id}`}>
            {t.t('federation.button', { provider: p.name })}
          </button>
        ))}
      </form>
    </section>
  );
}

/** "Prove your existing account": its password, before the upstream identity is linked to it. */
export function LinkPage(props: PageProps & { uid: string; csrf: string; provider: string; email: string; error?: Text | undefined }): Html {
  const { site, t, error } = props;
  const title = t.t('federation.link.title', { provider: props.provider });
  return (
    <Layout site={site} t={t} title={title}>
      <h1 id="page-title">{title}</h1>
      <p>{t.t('federation.link.intro', { provider: props.provider, email: props.email })}</p>
      {error && (
        <p class="error" role="alert" id="link-error" tabindex={-1} autofocus>
          {t.say(error)}
        </p>
      )}
      <form method="post" action={site.path(linkPath(props.uid))} id="link-form">
        <input type="hidden" name="csrf" value={props.csrf} />
        <input type="email" name="email" value={props.email} autocomplete="username" hidden readonly />
        <label for="password">{t.t('federation.link.password')}</label>
        <input
          type="password"
          id="password"
          name="password"
          autocomplete="current-password"
          required
          autofocus={!error}
          aria-describedby={error ? 'link-error' : undefined}
        />
        <div class="actions">
          <button type="submit" class="primary" id="link-submit">
            {t.t('federation.link.submit')}
          </button>
        </div>
      </form>
    </Layout>
  );
}
