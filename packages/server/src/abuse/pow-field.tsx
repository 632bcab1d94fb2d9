/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Html } from '../pages/layout.js';
import type { Site } from '../pages/site.js';
import type { Translator } from '../pages/translator.js';
import { POW_FIELD, type PowChallenge } from './proof-of-work.js';

/** The attribute a form carries its challenge in (the script reads it); spread on the <form>. */
export function powFormAttrs(challenge: PowChallenge | undefined): Record<string, string> {
  return challenge ? { 'data-pow': JSON.stringify(challenge) } : {};
}

/**
 * Inside a form with powFormAttrs: the hidden field the script fills, a line saying a check
 * runs, and the same-origin script. Nothing when no challenge is asked for.
 */
export function PowField(props: { site: Site; t: Translator; challenge: PowChallenge | undefined }): Html | null {
  if (!props.challenge) return null;
  return (
    <>
      <input type="hidden" name={POW_FIELD} value="" />
      <p class="muted" id="pow-notice">
        {props.t.t('abuse.powNotice')}
      </p>
      <script src={props.site.path('/assets/proof-of-work.js')} defer />
    </>
  );
}
