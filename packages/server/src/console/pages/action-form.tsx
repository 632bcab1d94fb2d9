/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Html } from '../../pages/layout.js';
import { Csrf, type Frame } from '../layout.js';

/** A button alone in its own form (ending a session, revoking a grant, ...). */
export function ActionForm(props: { frame: Frame; action: string; label: string; fields?: Record<string, string>; kind?: 'secondary' | 'danger' }): Html {
  return (
    <form method="post" action={props.frame.scope.path(props.action)} class="inline">
      <Csrf frame={props.frame} />
      {Object.entries(props.fields ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class={props.kind ?? 'secondary'}>
        {props.label}
      </button>
    </form>
  );
}
