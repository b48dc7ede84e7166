// The three roles of the control room (DESIGN.md, "Who uses it"). A user has exactly one.

/** Every role, in the order the docs list them. */
export const ROLES = ['call-handler', 'supervisor', 'engineer'] as const;

/** A user's role: what they may see and do. */
export type Role = (typeof ROLES)[number];

/** Type guard for untrusted input (a stored event, a request body). */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
