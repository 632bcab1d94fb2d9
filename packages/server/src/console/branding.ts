import type { Hono } from 'hono';
import { sendPage } from '../http/respond.js';
import type { AppFetch } from './api.js';
import { type ConsoleCall, apiFailed, consolePage } from './guard.js';
import { BRANDING_FIELD_NAMES, BrandingPage, type BrandingValues, PREVIEW_STYLESHEET, previewStylesheet } from './pages/branding.js';
import type { FormProblem } from './pages/form-problem.js';
import { CONSOLE_PATHS } from './paths.js';
import { type Settings, saveSettings } from './settings-patch.js';
import type { ConsoleKey } from './text/catalog.js';

function valuesOf(s: Settings): BrandingValues {
  return {
    display_name: s.display_name,
    logo_url: s.logo_url ?? '',
    brand_color: s.brand_color,
    background_color: s.background_color,
    support_url: s.support_url ?? '',
    privacy_url: s.privacy_url ?? '',
    mail_from_name: s.mail_from_name,
  };
}

function valuesFrom(form: URLSearchParams): BrandingValues {
  return Object.fromEntries(BRANDING_FIELD_NAMES.map((name) => [name, (form.get(name) ?? '').trim()])) as unknown as BrandingValues;
}

const canWrite = (call: ConsoleCall): boolean => call.frame.operator?.role !== 'viewer';

async function show(call: ConsoleCall, state: { values?: BrandingValues; notice?: ConsoleKey; problem?: FormProblem } = {}): Promise<Response> {
  const result = await call.api.get<Settings>('/settings');
  if (!result.ok) apiFailed(result);
  const status = state.problem ? 400 : state.notice === 'branding.stale' ? 409 : 200;
  return sendPage(
    call.c,
    BrandingPage({
      frame: call.frame,
      values: state.values ?? valuesOf(result.body),
      etag: result.etag ?? '',
      canWrite: canWrite(call),
      notice: state.notice,
      problem: state.problem,
    }),
    status,
  );
}

/**
 * The branding page at <issuer>/admin/branding: GET/PATCH /settings of the Admin API. "Preview"
 * draws the form's values without saving (the page works without JavaScript); saving sends only
 * what differs from what is stored, so a default (the mail sender following the name) stays one.
 */
export function registerBrandingPages(app: Hono, fetch: AppFetch): void {
  // Colours only, checked: nothing of the issuer is read, so no session is needed.
  app.get(PREVIEW_STYLESHEET, (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(previewStylesheet(c.req.query('brand'), c.req.query('bg')));
  });

  app.get(
    CONSOLE_PATHS.branding,
    consolePage(fetch, async (call) => show(call, { notice: call.c.req.query('notice') === 'saved' ? 'branding.saved' : undefined })),
  );

  app.post(
    CONSOLE_PATHS.branding,
    consolePage(fetch, async (call) => {
      const values = valuesFrom(call.form);
      if (call.form.get('intent') !== 'save') return show(call, { values });
      const current = await call.read<Settings>('/settings');
      const stored = valuesOf(current);
      const body = Object.fromEntries(BRANDING_FIELD_NAMES.filter((name) => values[name] !== stored[name]).map((name) => [name, values[name]]));
      const saved = await saveSettings(call, body);
      if ('saved' in saved) return call.redirect(`${CONSOLE_PATHS.branding}?notice=saved`);
      if ('stale' in saved) return show(call, { notice: 'branding.stale' });
      return show(call, { values, problem: saved.problem });
    }),
  );
}
