import { IssuerInUseError } from '../../issuers/service.js';
import { SettingsError } from '../../issuers/settings.js';
import { DomainTakenError, IssuerIdError, IssuerIdTakenError } from '../../store/repos/issuers.js';
import { type FieldNames, Problem, badRequest } from './problem.js';

/**
 * Runs an issuers service call, turning its refusals (the CLI prints them) into problems that
 * name the API's field: a bad setting or id is 400, a taken id or domain and an issuer that
 * still has users are 409. Anything else is not a refusal and propagates.
 */
export async function issuerCall<T>(names: FieldNames, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof SettingsError) {
      const field = names[error.field] ?? error.field;
      // The message starts with validateSettings' own name for the field: say the API's.
      const detail = error.message.slice(error.field.length + 2);
      throw badRequest(`${field}: ${detail}`, [{ field, detail }]);
    }
    if (error instanceof IssuerIdTakenError) throw new Problem(409, 'conflict', 'Conflict', error.message, [{ field: 'id', detail: error.message }]);
    if (error instanceof DomainTakenError) throw new Problem(409, 'conflict', 'Conflict', error.message, [{ field: 'domains', detail: error.message }]);
    if (error instanceof IssuerInUseError)
      throw new Problem(
        409,
        'conflict',
        'The issuer has users',
        `It has ${error.users} user${error.users === 1 ? '' : 's'}: send ?force=true to delete them with it`,
      );
    if (error instanceof IssuerIdError) throw badRequest(error.message);
    throw error;
  }
}
