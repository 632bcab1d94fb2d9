/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Html } from '../../pages/layout.js';
import type { ApiProblem } from '../api.js';
import type { Frame } from '../layout.js';
import type { ConsoleKey } from '../text/catalog.js';

/** What was wrong in a form: the Admin API's detail and message per field it named, and the console's own. */
export interface FormProblem {
  detail: string | undefined;
  /** The Admin API's words (English), by field name. */
  fields: Record<string, string>;
  /** What the console itself refused before asking the API, by the id of the field: translated. */
  own?: Record<string, ConsoleKey>;
}

export function formProblem(problem: ApiProblem): FormProblem {
  const fields: Record<string, string> = {};
  for (const e of problem.errors ?? []) fields[e.field.replace(/^body\./, '').split('.')[0] ?? e.field] = e.detail;
  return { detail: problem.detail, fields };
}

/** A field's accessibility attributes: marked invalid and pointing at its message when it was wrong. */
export function fieldAttrs(problem: FormProblem | undefined, name: string, hint?: string): { 'aria-invalid'?: 'true'; 'aria-describedby'?: string } {
  const wrong = problem?.fields[name] !== undefined || problem?.own?.[name] !== undefined;
  const described = [hint, wrong ? `${name}-problem` : undefined].filter(Boolean).join(' ');
  return { ...(wrong ? { 'aria-invalid': 'true' as const } : {}), ...(described ? { 'aria-describedby': described } : {}) };
}

/**
 * The summary of what was wrong, at the top of the form, each entry linking to its field. The
 * field is named by its label (`labels`: API field name to the label's key), in the page's
 * language; the Admin API's words stay English (lang="en"): they name the rule exactly.
 */
export function FieldErrors(props: { frame: Frame; problem: FormProblem | undefined; labels?: Readonly<Record<string, ConsoleKey>> }): Html {
  const { problem } = props;
  if (!problem) return <></>;
  const entries = Object.entries(problem.fields);
  const own = Object.entries(problem.own ?? {});
  const labelOf = (field: string): string => {
    const key = props.labels?.[field];
    return key ? props.frame.t.t(key) : field;
  };
  return (
    <div class="error" role="alert" tabindex={-1} id="form-problem">
      <p>
        <strong>{props.frame.t.t('form.problem')}</strong>
      </p>
      {entries.length === 0 && own.length === 0 ? (
        <p lang="en">{problem.detail}</p>
      ) : (
        <ul>
          {own.map(([field, key]) => (
            <li id={`${field}-problem`}>
              <a href={`#${field}`}>{props.frame.t.t(key)}</a>
            </li>
          ))}
          {entries.map(([field, detail]) => (
            <li id={`${field}-problem`}>
              <a href={`#${field}`}>{labelOf(field)}</a>: <span lang="en">{detail}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
