import type { Hono } from 'hono';
import type { Services } from '../services.js';

// PLACEHOLDER: replaced by the real implementation.
export function registerToken(_app: Hono, _services: Services): void {}
