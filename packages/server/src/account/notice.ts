import { ACCOUNT_APPS_PATH } from './paths.js';

/** The short confirmation the account page shows after a form post. */
export type Notice = 'removed' | 'gone' | 'password';

const TEXT: Readonly<Record<Notice, string>> = {
  removed: 'Access removed. The app can no longer use your account; if you use it again, it will ask for your permission first.',
  gone: 'That app no longer has access to your account.',
  password: 'Your password has been changed. Every other browser signed in to your account has been signed out.',
};

/** The account page, with a notice to show; the path is fixed, only the notice name varies. */
export function accountPageUrl(issuer: string, notice?: Notice): string {
  return `${issuer}${ACCOUNT_APPS_PATH}${notice ? `?notice=${notice}` : ''}`;
}

/** The text for a notice named in the query; anything else shows none. */
export function noticeText(name: string | undefined): string | undefined {
  return name !== undefined && Object.hasOwn(TEXT, name) ? TEXT[name as Notice] : undefined;
}
