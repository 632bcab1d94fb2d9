/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { z } from 'zod';
import type { statsSchema } from '../../admin/api/stats.js';
import type { Html } from '../../pages/layout.js';
import { ConsoleLayout, type Frame } from '../layout.js';
import { CONSOLE_PATHS } from '../paths.js';
import { BarChart } from './chart.js';

export type Stats = z.infer<typeof statsSchema>;

const seconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

/** The console's first page: sign-ins and failures per day, and what happened lately. */
export function OverviewPage(props: { frame: Frame; stats: Stats }): Html {
  const { scope, t } = props.frame;
  const { stats } = props;
  const title = t.t('overview.title');
  const labels = stats.days.map((d) => t.day(seconds(`${d.date}T00:00:00Z`)));
  const total = (pick: (d: Stats['days'][number]) => number): number => stats.days.reduce((sum, d) => sum + pick(d), 0);
  return (
    <ConsoleLayout frame={props.frame} title={title}>
      <h1 id="page-title">{title}</h1>
      <ul class="tiles">
        <li>
          <span class="figure">{t.number(total((d) => d.sign_ins))}</span> {t.t('overview.signIns', { days: stats.days.length })}
        </li>
        <li>
          <span class="figure">{t.number(total((d) => d.sign_in_failures))}</span> {t.t('overview.failures', { days: stats.days.length })}
        </li>
        <li>
          <span class="figure">{t.number(stats.active_users)}</span> {t.t('overview.active')}
        </li>
        <li>
          <a href={scope.path(CONSOLE_PATHS.users)}>
            <span class="figure">{t.number(stats.users)}</span> {t.t('overview.users')}
          </a>
        </li>
        <li>
          <a href={scope.path(CONSOLE_PATHS.apps)}>
            <span class="figure">{t.number(stats.clients)}</span> {t.t('overview.apps')}
          </a>
        </li>
      </ul>
      <BarChart
        id="sign-ins"
        text={t}
        title={t.t('overview.chart')}
        labels={labels}
        series={[
          { label: t.t('overview.seriesSignIns'), tone: 'primary', values: stats.days.map((d) => d.sign_ins) },
          { label: t.t('overview.seriesFailures'), tone: 'danger', values: stats.days.map((d) => d.sign_in_failures) },
        ]}
      />
      <h2>{t.t('overview.recent')}</h2>
      {stats.recent_security_events.length === 0 ? (
        <p class="muted">{t.t('overview.none')}</p>
      ) : (
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
            {stats.recent_security_events.map((e) => (
              <tr>
                <td>{t.dateTime(seconds(e.occurred_at))}</td>
                <td>
                  <code>{e.type}</code>
                </td>
                <td>{e.actor ?? '—'}</td>
                <td dir="ltr">{e.address ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <a href={scope.path(CONSOLE_PATHS.audit)}>{t.t('overview.allEvents')}</a>
      </p>
    </ConsoleLayout>
  );
}
