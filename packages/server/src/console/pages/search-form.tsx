/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Html } from '../../pages/layout.js';
import type { Frame } from '../layout.js';
import type { ConsoleKey } from '../text/catalog.js';

/** A list page's search (`?q=`): a GET form, so a search can be bookmarked and works without JavaScript. */
export function SearchForm(props: { frame: Frame; action: string; q: string; label: ConsoleKey; button: ConsoleKey }): Html {
  const { scope, t } = props.frame;
  return (
    <form method="get" action={scope.path(props.action)}>
      <label for="q">{t.t(props.label)}</label>
      <input id="q" name="q" type="search" maxlength={200} value={props.q} />
      <button type="submit" class="secondary">
        {t.t(props.button)}
      </button>
    </form>
  );
}
