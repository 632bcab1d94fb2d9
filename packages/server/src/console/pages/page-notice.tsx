/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Html } from '../../pages/layout.js';
import { Notice } from '../layout.js';

/** What a console page reports after an action: done, or the Admin API's error. */
export type PageNotice = { kind: 'ok' | 'error'; text: string };

/** The notice, if any; an error's text comes from the Admin API in English, so it says so for screen readers. */
export function PageNoticeOf(props: { notice?: PageNotice }): Html | null {
  if (!props.notice) return null;
  return (
    <Notice kind={props.notice.kind}>
      <span lang={props.notice.kind === 'error' ? 'en' : undefined}>{props.notice.text}</span>
    </Notice>
  );
}
