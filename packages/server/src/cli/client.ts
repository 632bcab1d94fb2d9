import { CliUsageError, type CliIo } from './io.js';

// PLACEHOLDER: replaced by the real implementation.
export async function clientCommand(_args: string[], _io: CliIo): Promise<number> {
  throw new CliUsageError('not implemented yet');
}
