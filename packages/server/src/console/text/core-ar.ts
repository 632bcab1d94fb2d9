import type { CoreCatalog } from './catalog.js';
import { coreEn } from './core-en.js';

// TEMPORARY: English until translated (test/console/catalogs.test.ts will refuse this copy).
export const coreAr: CoreCatalog = { ...coreEn };
