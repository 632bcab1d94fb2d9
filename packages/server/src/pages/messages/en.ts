import type { Message } from './catalog.js';

/**
 * The English messages, which define the keys: every other catalog must have each of them
 * (the compiler checks, as `Catalog` is a record of exactly these keys) with the same
 * placeholders (test/pages/catalogs.test.ts checks). `{name}` is replaced by a value, escaped
 * when the page is rendered; plural forms are picked by `{count}`.
 */
export const en = {
  // The frame and the pages every path can show.
  'error.title': 'Something went wrong',
  'error.unexpected': 'An unexpected error occurred. Please try again.',
  'error.badRequest': 'The request could not be processed. Go back and try again.',
  'error.method': 'This address cannot be used that way.',
  'error.tooLarge': 'What was sent is too large.',
  'error.repeatedParameter': 'The parameter “{name}” is repeated in the request. Go back and try again.',
  'error.unavailable.title': 'Temporarily unavailable',
  'error.unavailable': 'Please try again in a few seconds.',
  'error.notFound.title': 'Page not found',
  'error.notFound': 'There is nothing at this address.',
  'error.reference': 'Reference: {id}',
  'console.appName': 'Admin console',
  'console.forbidden': 'Your role may not do this. An owner of this issuer can change your role.',
  'home.title': 'Sign-in service',
  'home.intro': 'This is the sign-in service of {name}. Applications send you here to sign in.',
  'home.account': 'Your account',
  'home.discovery': 'OpenID Connect discovery document (for developers)',

  // Failures of a sign-in, a form or a request, shown to the person.
  'authorize.noClientId': 'The request has no client_id.',
  'authorize.unknownClient': 'The application that sent you here is not registered.',
  'authorize.noRedirectUri': 'The request has no redirect_uri.',
  'authorize.redirectUriNotRegistered': 'The redirect_uri is not registered for this application.',
  'interaction.expired': 'This sign-in page has expired or was already used. Go back to the application and start again.',
  'interaction.otherBrowser': 'This sign-in page was opened in another browser, or cookies are blocked. Go back to the application and start again.',
  'interaction.clientGone': 'The application that sent you here is no longer registered.',
  'interaction.alreadyUsed': 'This sign-in page was already used. Go back to the application and start again.',
  'interaction.accountAlreadyUsed': 'This sign-in page was already used. Open your account page again.',
  'interaction.sessionEnded': 'Your session has ended. Go back to the application and sign in again.',
  'form.unverified': 'The form could not be verified. Reload the page and try again.',
  'form.unverifiedCookies': 'The form could not be verified. Reload the page and try again (cookies must be allowed).',
  'form.incomplete': 'The form is incomplete. Reload the page and try again.',
  'account.notSignedIn': 'You are not signed in, so nothing was changed. Open your account page and sign in again.',
  'logout.badHint': 'The id_token_hint is not a valid ID token from this provider.',
  'logout.hintMismatch': 'client_id does not match the id_token_hint.',
  'logout.redirectNotRegistered': 'The post_logout_redirect_uri is not registered for this application.',
  'logout.formUnverified': 'The sign-out form could not be verified. Go back and try again.',
  'logout.formExpired': 'The sign-out form has expired. Go back and try again.',

  'common.signedInAs': 'Signed in as {email}',
  'common.email': 'Email',
  'common.newPassword': 'New password',

  // Sign-in (login.tsx).
  'login.title': 'Sign in',
  'login.forAccount': 'to see and manage the apps that can use your account',
  'login.forClient': 'to continue to {client}',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.forgot': 'Forgot your password?',
  'login.cancel': 'Cancel and return to {client}',
  'login.missing': 'Enter your email and password.',
  'login.wrong': 'The email or password is incorrect.',
  'login.throttled': {
    one: 'Too many failed sign-in attempts. Wait {count} minute and try again.',
    other: 'Too many failed sign-in attempts. Wait {count} minutes and try again.',
  },
  'login.disabled': 'This account has been disabled. Contact the support of {brand} if you think this is a mistake.',

  // Consent (consent.tsx) and the scopes in plain words (scope-text.ts).
  // The account chooser (select-account.tsx), for prompt=select_account.
  'select.title': 'Choose an account',
  'select.forClient': 'to continue to {client}',
  'select.continueAs': 'Continue as {name}',
  'select.another': 'Use another account',
  'select.gone': 'That account is no longer signed in here. Choose again.',

  'consent.title': 'Allow access',
  'consent.heading': '{client} wants to access your account',
  'consent.legend': 'This will allow {client} to:',
  'consent.required': '(required)',
  'consent.allow': 'Allow',
  'consent.deny': 'Deny',
  'consent.choose': 'Choose Allow or Deny.',
  'consent.notYou': 'Not you? Use another account',
  'consent.logo': '{client} logo',
  'consent.policy': 'Privacy policy of {client}',
  'consent.terms': 'Terms of service of {client}',
  'scope.openid': 'Sign you in with your account',
  'scope.profile': 'See your name, username and profile picture',
  'scope.email': 'See your email address',
  'scope.organizations': 'See which organizations you belong to and your roles and permissions in them',
  'scope.offline_access': 'Stay connected when you are not using it',
  'scope.other': 'Use the “{scope}” permission on your behalf',

  // The account page (account-apps.tsx).
  'apps.title': 'Apps with access',
  'apps.heading': 'Apps with access to your account',
  'apps.none': 'No apps can use your account right now. When you allow an app to sign you in, it shows up here.',
  'apps.canDo': 'It can:',
  'apps.granted': 'Access granted {granted}',
  'apps.grantedAndUsed': 'Access granted {granted}, last used {used}',
  'apps.time': '{time} UTC',
  'apps.remove': 'Remove access',
  'apps.removeLabel': 'Remove access for {app}',
  'apps.changePassword': 'Change your password',
  'apps.signOut': 'Sign out',
  'remove.title': 'Remove access',
  'remove.heading': 'Remove access for {app}?',
  'remove.explain': '{app} will no longer be able to use your account. If you use it again, it will ask for your permission again.',
  'remove.confirm': 'Remove access',
  'remove.cancel': 'Keep access',
  'notice.removed': 'Access removed. The app can no longer use your account; if you use it again, it will ask for your permission first.',
  'notice.gone': 'That app no longer has access to your account.',
  'notice.password': 'Your password has been changed. Every other browser signed in to your account has been signed out.',

  // Changing the password while signed in (account-password.tsx).
  'changePassword.title': 'Change your password',
  'changePassword.current': 'Current password',
  'changePassword.again': 'New password, again',
  'changePassword.submit': 'Change password',
  'changePassword.others': 'Other browsers signed in to your account are signed out; apps you allowed keep their access.',
  'changePassword.back': 'Back to your account',
  'changePassword.wrongCurrent': 'The current password is not right.',
  'changePassword.throttled': {
    one: 'Too many wrong passwords. Wait {count} minute and try again.',
    other: 'Too many wrong passwords. Wait {count} minutes and try again.',
  },
  'password.atLeast': { one: 'At least {count} character.', other: 'At least {count} characters.' },
  'password.twice': 'Enter the new password twice.',
  'password.different': 'The two passwords are not the same.',
  'password.tooShort': { one: 'The password must be at least {count} character.', other: 'The password must be at least {count} characters.' },
  'password.tooLong': { one: 'The password must be at most {count} character.', other: 'The password must be at most {count} characters.' },

  // The password reset (password.tsx) and its mail (password/reset-links.ts).
  'forgot.title': 'Reset your password',
  'forgot.intro': 'Enter the email address of your account. We will send you a link to choose a new password.',
  'forgot.submit': 'Send the link',
  'forgot.back': 'Back to sign in',
  'forgot.missing': 'Enter the email address of your account.',
  'forgot.throttled': {
    one: 'Too many requests for a reset link. Wait {count} minute and try again.',
    other: 'Too many requests for a reset link. Wait {count} minutes and try again.',
  },
  'sent.title': 'Check your email',
  'sent.text': {
    one: 'If an account exists for that address, we have sent a link to reset its password. It expires in {count} minute.',
    other: 'If an account exists for that address, we have sent a link to reset its password. It expires in {count} minutes.',
  },
  'sent.again': 'Nothing arrived? Check your spam folder, or {link}.',
  'sent.askAgain': 'ask again',
  'reset.title': 'Choose a new password',
  'reset.intro': {
    one: 'At least {count} character. Every device signed in to your account will be signed out.',
    other: 'At least {count} characters. Every device signed in to your account will be signed out.',
  },
  'reset.again': 'New password again',
  'reset.submit': 'Set the new password',
  'invalid.title': 'Link no longer valid',
  'invalid.heading': 'This link is no longer valid',
  'invalid.text': {
    one: 'Password reset links work once, for {count} minute. This one has expired or was already used.',
    other: 'Password reset links work once, for {count} minutes. This one has expired or was already used.',
  },
  'invalid.askAgain': 'Ask for a new link',
  'changed.title': 'Password changed',
  'changed.text': 'Your password has been changed. Sign in with your new password.',
  'changed.toAccount': 'Continue to your account',
  'changed.toClient': 'Continue to {client}',
  'changed.elsewhere': 'Go back to the app you were using and sign in again, or {link}.',
  'changed.openAccount': 'open your account',
  'mail.reset.subject': 'Reset your {brand} password',
  'mail.reset.text': {
    one: 'Someone, probably you, asked to reset the password of the {brand} account {email}.\n\nTo choose a new password, open this link within {count} minute:\n\n{link}\n\nThe link works once. If you did not ask for this, ignore this message: your password stays as it is.\n',
    other:
      'Someone, probably you, asked to reset the password of the {brand} account {email}.\n\nTo choose a new password, open this link within {count} minutes:\n\n{link}\n\nThe link works once. If you did not ask for this, ignore this message: your password stays as it is.\n',
  },
  'mail.invite.subject': 'You are invited to {brand}',
  'mail.invite.text': {
    one: 'An administrator created a {brand} account for {email}.\n\nTo choose your password and start using it, open this link within {count} day:\n\n{link}\n\nThe link works once. If you were not expecting this, ignore this message.\n',
    other:
      'An administrator created a {brand} account for {email}.\n\nTo choose your password and start using it, open this link within {count} days:\n\n{link}\n\nThe link works once. If you were not expecting this, ignore this message.\n',
  },

  // Signing out (logout.tsx).
  'logout.title': 'Sign out',
  'logout.heading': 'Sign out of {brand}?',
  'logout.asked': '{client} asked to sign you out.',
  'logout.confirm': 'Sign out',
  'logout.stay': 'Stay signed in',
  'signedOut.title': 'You have signed out',
  'signedOut.stillIn': 'You are still signed in',
  'signedOut.close': 'You can close this window.',
  'signedOut.signIn': 'Sign in again',
  'signedOut.account': 'Go to your account',
} as const satisfies Record<string, Message>;

/** The core English messages; the areas' (messages/areas.ts) join them in messages/all.ts. */
export type CoreEnglish = typeof en;

/** A language's core messages: every core English key, no other (an extra or missing key does not compile). */
export type CoreCatalog = { readonly [K in keyof CoreEnglish]: Message };
