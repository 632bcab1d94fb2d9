import { EVENT_TYPES } from '../events/catalog.js';
import { isHookable } from '../store/repos/webhook-fan-out.js';

/** One pattern of an endpoint's filter, as webhook_endpoint_events stores it. */
export interface EventPattern {
  /** An event type, or (prefix) the start of one: `user.` for `user.*`, '' for `*`. */
  pattern: string;
  prefix: boolean;
}

/** The types an endpoint may subscribe to: every recorded type but the internal ones. */
export const HOOKABLE_TYPES: readonly string[] = EVENT_TYPES.filter(isHookable);

export class EventFilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventFilterError';
  }
}

const MAX_PATTERNS = 100;

/**
 * Reads a filter like `grant.revoked, user.*`: event types, `<group>.*` for every type of a
 * group, or `*`. Each must match some type (a typo would otherwise subscribe to nothing, quietly).
 * Returns the normalised filter (sorted, no duplicates) and its patterns.
 */
export function parseEventFilter(raw: string): { filter: string; patterns: EventPattern[] } {
  const parts = [
    ...new Set(
      raw
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== ''),
    ),
  ].sort();
  if (parts.length === 0) throw new EventFilterError('name at least one event type, like grant.revoked or user.* (or * for all)');
  if (parts.length > MAX_PATTERNS) throw new EventFilterError(`at most ${MAX_PATTERNS} patterns`);
  const patterns = parts.map((part): EventPattern => {
    if (part === '*') return { pattern: '', prefix: true };
    if (part.endsWith('.*')) {
      const group = part.slice(0, -1);
      if (!/^[a-z_]+\.$/.test(group) || !HOOKABLE_TYPES.some((t) => t.startsWith(group))) {
        throw new EventFilterError(`"${part.slice(0, 60)}" matches no event type (docs/events.md lists them)`);
      }
      return { pattern: group, prefix: true };
    }
    if (!HOOKABLE_TYPES.includes(part)) throw new EventFilterError(`"${part.slice(0, 60)}" is not an event type (docs/events.md lists them)`);
    return { pattern: part, prefix: false };
  });
  return { filter: parts.join(','), patterns };
}

/** Whether an event of `type` passes `patterns` (the same rule as the fan-out's SQL). */
export function matchesFilter(patterns: readonly EventPattern[], type: string): boolean {
  return isHookable(type) && patterns.some((p) => (p.prefix ? type.startsWith(p.pattern) : type === p.pattern));
}
