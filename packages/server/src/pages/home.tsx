/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import { ACCOUNT_HOME_PATH } from '../account/paths.js';
import { type Html, Layout, type PageProps } from './layout.js';

/** What `/` of an issuer answers: whose sign-in service this is, and where to go from here. */
export function HomePage(props: PageProps): Html {
  const { site, t } = props;
  const name = site.settings.brand.name;
  return (
    <Layout site={site} t={t} title={t.t('home.title')}>
      <h1 id="page-title">{name}</h1>
      <p>{t.t('home.intro', { name })}</p>
      <ul>
        <li>
          <a href={t.carry(site.path(ACCOUNT_HOME_PATH))} id="account-link">
            {t.t('home.account')}
          </a>
        </li>
        <li>
          <a href={site.path('/.well-known/openid-configuration')} id="discovery-link">
            {t.t('home.discovery')}
          </a>
        </li>
      </ul>
    </Layout>
  );
}
