import { type Text, say } from '../pages/translator.js';
import { ACCOUNT_APPS_PATH } from './paths.js';

/** The short confirmation the account page shows after a form post. */
export type Notice = 'removed' | 'gone' | 'password' | 'scopeRemoved';

const TEXT: Readonly<Record<Notice, Text>> = {
  removed: say('notice.removed'),
  gone: say('notice.gone'),
  password: say('notice.password'),
  scopeRemoved: say('scopeRevoke.notice'),
};

/** The account page, with a notice to show; the path is fixed, only the notice name varies. */
export function accountPageUrl(issuer: string, notice?: Notice): string {
  return `${issuer}${ACCOUNT_APPS_PATH}${notice ? `?notice=${notice}` : ''}`;
}

/** The text for a notice named in the query; anything else shows none. */
export function noticeText(name: string | undefined): Text | undefined {
  return name !== undefined && Object.hasOwn(TEXT, name) ? TEXT[name as Notice] : undefined;
}
