/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Html } from '../../pages/layout.js';
import type { Frame } from '../layout.js';
import type { ConsoleKey } from '../text/catalog.js';

/** Seconds since the epoch of an ISO 8601 time the Admin API gave. */
export const seconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

/** An event as the short tables show it: when, what, by whom, from where. */
export interface EventRow {
  time: string;
  type: string;
  actor: string | null;
  address: string | null;
}

/** A short table of events (the overview's security events, a user's activity), or `empty` when there are none. */
export function EventTable(props: { frame: Frame; events: readonly EventRow[]; empty: ConsoleKey }): Html {
  const { t } = props.frame;
  if (props.events.length === 0) return <p class="muted">{t.t(props.empty)}</p>;
  return (
    <table class="list">
      <thead>
        <tr>
          <th scope="col">{t.t('audit.when')}</th>
          <th scope="col">{t.t('audit.type')}</th>
          <th scope="col">{t.t('audit.actor')}</th>
          <th scope="col">{t.t('audit.address')}</th>
        </tr>
      </thead>
      <tbody>
        {props.events.map((e) => (
          <tr>
            <td>
              <time datetime={e.time}>{t.dateTime(seconds(e.time))}</time>
            </td>
            <td>
              <code dir="ltr">{e.type}</code>
            </td>
            <td dir="ltr">{e.actor ?? '—'}</td>
            <td dir="ltr">{e.address ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
