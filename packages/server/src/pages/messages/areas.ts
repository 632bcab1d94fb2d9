import type { Message } from './catalog.js';
import type { PageArea } from './area.js';
import { ABUSE_MESSAGES } from './abuse.js';

/**
 * Every area of the hosted pages with messages of its own: one line per area file, so a feature
 * adds its messages without touching the core catalogs (en.ts, de.ts, …).
 */
export const PAGE_AREAS = [ABUSE_MESSAGES] as const satisfies readonly PageArea<Record<string, Message>>[];
