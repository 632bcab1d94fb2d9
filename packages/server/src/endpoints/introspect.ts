import type { Hono } from 'hono';
import type { Services } from '../services.js';

// PLACEHOLDER: replaced by the real implementation.
export function registerIntrospect(_app: Hono, _services: Services): void {}
