import { isConsoleClient } from '../console/client.js';
import type { Translator } from './translator.js';

/**
 * The name the hosted pages show for an app: its own, or for the console's client (made by
 * Gatehouse, stored with an English name) the console's name in the page's language.
 */
export function shownClientName(t: Translator, client: { id: string; name: string }): string {
  return isConsoleClient(client.id) ? t.t('console.appName') : client.name;
}
