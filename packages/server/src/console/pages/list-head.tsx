/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Html } from '../../pages/layout.js';

/** A list table's header row; `actions` adds the empty cell above each row's buttons. */
export function ListHead(props: { columns: string[]; actions: boolean }): Html {
  return (
    <thead>
      <tr>
        {props.columns.map((label) => (
          <th scope="col">{label}</th>
        ))}
        {props.actions ? <td /> : null}
      </tr>
    </thead>
  );
}
