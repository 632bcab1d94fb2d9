/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Html } from '../../pages/layout.js';
import { ConsoleLayout, Csrf, type Frame, Notice } from '../layout.js';
import { CONSOLE_PATHS } from '../paths.js';
import type { ConsoleKey } from '../text/catalog.js';
import { FieldErrors, type FormProblem, fieldAttrs } from './form-problem.js';

/** The branding fields, named as the Admin API's settings name them. */
export interface BrandingValues {
  display_name: string;
  logo_url: string;
  brand_color: string;
  background_color: string;
  support_url: string;
  privacy_url: string;
  mail_from_name: string;
}

export const BRANDING_FIELD_NAMES: readonly (keyof BrandingValues)[] = [
  'display_name',
  'logo_url',
  'brand_color',
  'background_color',
  'support_url',
  'privacy_url',
  'mail_from_name',
];

/** Each field's label, to name it in the summary of what was refused. */
const LABELS: Readonly<Record<keyof BrandingValues, ConsoleKey>> = {
  display_name: 'branding.displayName',
  logo_url: 'branding.logo',
  brand_color: 'branding.color',
  background_color: 'branding.background',
  support_url: 'branding.support',
  privacy_url: 'branding.privacy',
  mail_from_name: 'branding.mailFrom',
};

export const PREVIEW_STYLESHEET = `${CONSOLE_PATHS.branding}/preview.css`;

const COLOR = /^#[0-9a-fA-F]{6}$/;

/** The preview's stylesheet URL for two colours (the CSP allows no inline style, so they travel in its query). */
function previewCss(frame: Frame, v: BrandingValues): string {
  const q = new URLSearchParams();
  if (COLOR.test(v.brand_color)) q.set('brand', v.brand_color.slice(1));
  if (COLOR.test(v.background_color)) q.set('bg', v.background_color.slice(1));
  return `${frame.scope.path(PREVIEW_STYLESHEET)}?${q.toString()}`;
}

const https = (url: string): boolean => /^https:\/\/[^\s]+$/.test(url);

/** The hosted sign-in page in small, drawn from the form's values (script.ts updates it as you type). */
function Preview(props: { frame: Frame; values: BrandingValues }): Html {
  const { t } = props.frame;
  const v = props.values;
  return (
    <section aria-label={t.t('branding.previewLabel')} class="preview-column">
      <link rel="stylesheet" href={previewCss(props.frame, v)} />
      <div id="branding-preview" class="preview">
        <div class="preview-card">
          {https(v.logo_url) ? <img class="preview-logo" src={v.logo_url} alt="" /> : null}
          <p class="brand-name">{v.display_name}</p>
          <p class="preview-title">{t.t('branding.signIn')}</p>
          <span class="preview-field" />
          <span class="preview-field" />
          <span class="preview-button">{t.t('branding.continue')}</span>
          <p class="preview-links">
            {https(v.support_url) ? <a href={v.support_url}>{t.t('branding.supportLink')}</a> : null}{' '}
            {https(v.privacy_url) ? <a href={v.privacy_url}>{t.t('branding.privacyLink')}</a> : null}
          </p>
        </div>
      </div>
    </section>
  );
}

function Field(props: {
  frame: Frame;
  name: keyof BrandingValues;
  label: ConsoleKey;
  value: string;
  type?: 'text' | 'url';
  hint?: ConsoleKey;
  problem?: FormProblem;
  readOnly: boolean;
}): Html {
  const { t } = props.frame;
  const wrong = props.problem?.fields[props.name];
  return (
    <>
      <label for={props.name}>{t.t(props.label)}</label>
      {props.hint ? (
        <p class="hint" id={`${props.name}-hint`}>
          {t.t(props.hint)}
        </p>
      ) : null}
      <input
        id={props.name}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        maxlength={props.type === 'url' ? 2048 : 60}
        dir={props.type === 'url' || props.name.endsWith('color') ? 'ltr' : undefined}
        readonly={props.readOnly}
        {...fieldAttrs(props.problem, props.name, props.hint ? `${props.name}-hint` : undefined)}
      />
      {/* The refusal next to its field too (the contrast a colour lacks, say), not only in the summary. */}
      {wrong ? (
        <p class="bad" lang="en">
          {wrong}
        </p>
      ) : null}
    </>
  );
}

/** The branding form beside its live preview: name, logo, colours, links and the mail sender's name. */
export function BrandingPage(props: {
  frame: Frame;
  values: BrandingValues;
  etag: string;
  canWrite: boolean;
  notice?: ConsoleKey;
  problem?: FormProblem;
}): Html {
  const { scope, t } = props.frame;
  const v = props.values;
  const p = props.problem;
  const title = t.t('branding.title');
  const ro = !props.canWrite;
  return (
    <ConsoleLayout frame={props.frame} title={title}>
      <h1 id="page-title">{title}</h1>
      <p class="muted">{t.t('branding.intro')}</p>
      {props.notice ? <Notice kind={props.notice === 'branding.saved' ? 'ok' : 'error'}>{t.t(props.notice)}</Notice> : null}
      {ro ? <p class="muted">{t.t('branding.readOnly')}</p> : null}
      <FieldErrors frame={props.frame} problem={p} labels={LABELS} />
      <div class="branding">
        <form method="post" action={scope.path(CONSOLE_PATHS.branding)} id="branding-form" novalidate>
          <Csrf frame={props.frame} />
          <input type="hidden" name="etag" value={props.etag} />
          <Field frame={props.frame} name="display_name" label="branding.displayName" value={v.display_name} problem={p} readOnly={ro} />
          <Field frame={props.frame} name="logo_url" label="branding.logo" type="url" value={v.logo_url} problem={p} readOnly={ro} />
          <Field frame={props.frame} name="brand_color" label="branding.color" hint="branding.colorHint" value={v.brand_color} problem={p} readOnly={ro} />
          <Field frame={props.frame} name="background_color" label="branding.background" value={v.background_color} problem={p} readOnly={ro} />
          <Field frame={props.frame} name="support_url" label="branding.support" type="url" value={v.support_url} problem={p} readOnly={ro} />
          <Field frame={props.frame} name="privacy_url" label="branding.privacy" type="url" value={v.privacy_url} problem={p} readOnly={ro} />
          <Field frame={props.frame} name="mail_from_name" label="branding.mailFrom" value={v.mail_from_name} problem={p} readOnly={ro} />
          <p class="actions">
            {props.canWrite ? (
              <button type="submit" class="primary" name="intent" value="save">
                {t.t('action.save')}
              </button>
            ) : null}
            <button type="submit" name="intent" value="preview" aria-describedby="preview-hint">
              {t.t('branding.preview')}
            </button>
            <span class="hint" id="preview-hint">
              {t.t('branding.previewHint')}
            </span>
          </p>
        </form>
        <Preview frame={props.frame} values={v} />
      </div>
    </ConsoleLayout>
  );
}

/** The preview's colours and layout; only #rrggbb values get in (anything else keeps the defaults). */
export function previewStylesheet(brand: string | undefined, background: string | undefined): string {
  const color = (hex: string | undefined, fallback: string): string => (hex && /^[0-9a-fA-F]{6}$/.test(hex) ? `#${hex.toLowerCase()}` : fallback);
  return `#branding-preview { --brand: ${color(brand, '#1f4fd1')}; --bg: ${color(background, '#f5f6f8')}; background: var(--bg); padding: 1.5rem; }
.branding { display: flex; gap: 2rem; flex-wrap: wrap; align-items: flex-start; }
.branding form { flex: 1 1 22rem; }
.preview-column { flex: 1 1 18rem; position: sticky; top: 1rem; }
.preview-card { background: #fff; border-radius: 12px; padding: 1.25rem; box-shadow: 0 1px 3px rgba(0,0,0,.12); }
#branding-preview .brand-name { color: var(--brand); margin: 0 0 .5rem; }
.preview-title { font-size: 1.2rem; font-weight: 700; margin: 0 0 .75rem; }
.preview-logo { display: block; max-width: 64px; max-height: 64px; margin-bottom: .5rem; }
.preview-field { display: block; height: 2.2rem; border: 1px solid #8c959f; border-radius: 6px; margin: .5rem 0; background: #fff; }
.preview-button { display: inline-block; margin-top: .75rem; padding: .5rem 1rem; border-radius: 6px; background: var(--brand); color: #fff; }
#branding-preview a { color: var(--brand); }
.preview-links { margin: .75rem 0 0; font-size: .9rem; }
`;
}
