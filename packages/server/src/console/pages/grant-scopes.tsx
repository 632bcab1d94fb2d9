/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Html } from '../../pages/layout.js';
import type { Frame } from '../layout.js';
import { ActionForm } from './action-form.js';
import type { UserGrantView } from './users.js';

/**
 * A grant's scopes on the user's page; for an operator who may write, each with a button that
 * removes it from the grant: `action` is the console's route for that (DELETE /users/{id}/grants/{grant}/scopes/{scope} underneath).
 */
export function GrantScopes(props: { frame: Frame; action: string; grant: UserGrantView; canWrite: boolean }): Html {
  const { frame, grant } = props;
  const scopes = grant.scope.split(' ').filter(Boolean);
  if (!props.canWrite) return <span dir="ltr">{grant.scope}</span>;
  return (
    <>
      <span dir="ltr">{grant.scope}</span>
      <ul class="grant-scopes">
        {scopes.map((scope) => (
          <li>
            <ActionForm frame={frame} action={props.action} fields={{ grant_id: grant.grant_id, scope }} label={frame.t.t('grantScopes.remove', { scope })} />
          </li>
        ))}
      </ul>
    </>
  );
}
