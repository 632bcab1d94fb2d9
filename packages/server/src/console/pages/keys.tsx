/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Html } from '../../pages/layout.js';
import { ConsoleLayout, Csrf, type Frame } from '../layout.js';
import { CONSOLE_PATHS } from '../paths.js';
import type { ConsoleKey } from '../text/catalog.js';
import { ListHead } from './list-head.js';
import { type PageNotice, PageNoticeOf } from './page-notice.js';

/** A key as GET /keys answers it. */
export interface KeyRow {
  kid: string;
  alg: 'RS256' | 'ES256' | 'EdDSA';
  status: 'pending' | 'signing' | 'retired';
  created_at: string;
  activates_at: string;
  retires_at: string | null;
  expires_at: string | null;
}

const ALGS = ['RS256', 'ES256', 'EdDSA'] as const;

/** The issuer's signing keys, the rotate form, and a retire button (with its confirmation) per signing key. */
export function KeysPage(props: { frame: Frame; keys: KeyRow[]; lead: number; canWrite: boolean; notice?: PageNotice }): Html {
  const { scope, t } = props.frame;
  const title = t.t('keys.title');
  const when = (iso: string | null): string => (iso === null ? '–' : t.dateTime(Date.parse(iso) / 1000));
  return (
    <ConsoleLayout frame={props.frame} title={title}>
      <h1 id="page-title">{title}</h1>
      <PageNoticeOf notice={props.notice} />
      <p class="muted">{t.t('keys.intro')}</p>
      <table class="list">
        <ListHead
          columns={[t.t('keys.kid'), t.t('keys.alg'), t.t('keys.status'), t.t('keys.created'), t.t('keys.activates'), t.t('keys.retires'), t.t('keys.expires')]}
          actions={props.canWrite}
        />
        <tbody>
          {props.keys.map((k) => (
            <tr>
              <td>
                <code dir="ltr">{k.kid}</code>
              </td>
              <td>{k.alg}</td>
              <td>{t.t(`keys.status.${k.status}` as ConsoleKey)}</td>
              <td>{when(k.created_at)}</td>
              <td>{when(k.activates_at)}</td>
              <td>{when(k.retires_at)}</td>
              <td>{when(k.expires_at)}</td>
              {props.canWrite ? (
                <td>
                  {k.status === 'signing' ? (
                    <form method="post" action={scope.path(`${CONSOLE_PATHS.keys}/${encodeURIComponent(k.kid)}/retire`)}>
                      <Csrf frame={props.frame} />
                      <input type="checkbox" id={`confirm-${k.kid}`} name="confirm" value="1" required />
                      <label for={`confirm-${k.kid}`}>{t.t('keys.retireConfirm', { kid: k.kid })}</label>
                      <button type="submit" class="danger">
                        {t.t('keys.retire')}
                      </button>
                    </form>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {props.canWrite ? (
        <form method="post" action={scope.path(`${CONSOLE_PATHS.keys}/rotate`)}>
          <Csrf frame={props.frame} />
          <h2>{t.t('keys.rotate')}</h2>
          <p class="hint">{t.t('keys.rotateText', { lead: props.lead })}</p>
          <label for="alg">{t.t('keys.alg')}</label>
          <select id="alg" name="alg">
            <option value="">{t.t('keys.allAlgs')}</option>
            {ALGS.map((alg) => (
              <option value={alg}>{alg}</option>
            ))}
          </select>
          <p>
            <input type="checkbox" id="now" name="now" value="1" />
            <label for="now">{t.t('keys.now')}</label>
          </p>
          <p class="actions">
            <button type="submit" class="primary">
              {t.t('keys.rotateButton')}
            </button>
          </p>
        </form>
      ) : null}
    </ConsoleLayout>
  );
}
