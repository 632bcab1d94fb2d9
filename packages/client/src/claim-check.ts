/** A primitive claim value a requirement can name. */
export type ClaimValue = string | number | boolean | null;

/**
 * What one claim of an access token must be, in `verify(req, { claims })`:
 * - a value: the claim equals it (or, for an array claim, contains it);
 * - an array of values: the claim is one of them (or, for an array claim, contains one of them);
 * - a function: it returns true for the claim's value (`undefined` when absent);
 * - an object: the claim is an object whose members meet these requirements, e.g.
 *   `{ kyc: { status: 'verified', level: (l) => typeof l === 'number' && l >= 2 } }`.
 */
export type ClaimRequirement = ClaimValue | readonly ClaimValue[] | ((value: unknown) => boolean) | ClaimRequirements;

/** Requirements by claim name (see ClaimRequirement). */
export interface ClaimRequirements {
  readonly [claim: string]: ClaimRequirement;
}

function matchesValue(actual: unknown, wanted: ClaimValue): boolean {
  return Array.isArray(actual) ? actual.includes(wanted) : actual === wanted;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// A requirement that is not an object of further requirements.
function meets(actual: unknown, requirement: ClaimValue | readonly ClaimValue[] | ((value: unknown) => boolean)): boolean {
  if (typeof requirement === 'function') return requirement(actual) === true;
  if (Array.isArray(requirement)) return requirement.some((wanted: ClaimValue) => matchesValue(actual, wanted));
  return matchesValue(actual, requirement as ClaimValue);
}

/**
 * The name of the first claim of `claims` that does not meet its requirement (a dotted path
 * for a nested one, e.g. `kyc.level`), or undefined when all do. Own members only: a claim
 * named `__proto__` or `constructor` is never read from the prototype.
 */
export function firstUnmet(claims: Record<string, unknown>, requirements: ClaimRequirements): string | undefined {
  for (const [name, requirement] of Object.entries(requirements)) {
    const actual = Object.hasOwn(claims, name) ? claims[name] : undefined;
    if (isObject(requirement)) {
      if (!isObject(actual)) return name;
      const inner = firstUnmet(actual, requirement as ClaimRequirements);
      if (inner !== undefined) return `${name}.${inner}`;
      continue;
    }
    if (!meets(actual, requirement as ClaimValue | readonly ClaimValue[] | ((value: unknown) => boolean))) return name;
  }
  return undefined;
}
