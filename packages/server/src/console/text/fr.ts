import type { ConsoleCatalog } from './en.js';
import { en } from './en.js';

// TEMPORARY until translated
export const fr: ConsoleCatalog = { ...en };
