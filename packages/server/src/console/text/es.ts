import type { ConsoleCatalog } from './en.js';
import { en } from './en.js';

// TEMPORARY until translated
export const es: ConsoleCatalog = { ...en };
