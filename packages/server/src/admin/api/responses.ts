import { z } from 'zod';
import type { ResponseSpec } from './define.js';

/** RFC 9457 problem details, as every failure of the Admin API answers. */
export const problemSchema = z
  .object({
    type: z.string().meta({ description: 'urn:gatehouse:problem:<code>: compare this, not the wording' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z
      .array(z.object({ field: z.string(), detail: z.string() }))
      .optional()
      .meta({ description: 'The inputs that were wrong' }),
  })
  .meta({ id: 'Problem' });

const problem = (description: string): ResponseSpec => ({ description, schema: problemSchema });

/** The failures any route may answer with. */
export const PROBLEM_RESPONSES: Record<number, ResponseSpec> = {
  400: problem('The request is not valid; errors names the fields'),
  401: problem('No access token, or one that is not valid for this issuer’s Admin API'),
  403: problem('The caller may not do this'),
  404: problem('Not found at this issuer'),
  409: problem('Conflicts with what is stored'),
  412: problem('If-Match names a revision that is no longer current'),
};
