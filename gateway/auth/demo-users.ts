// TECSOS_DEMO_USERS=1: three users for demos and tests, `handler` (call-handler), `supervisor`, `engineer`,
// sharing the password in TECSOS_DEMO_PASSWORD, or a random one that the caller prints once at start.
// Users that already exist (a restart over the same log) are left alone: importing twice changes nothing.
import { randomBytes } from 'node:crypto';
import { hashPassword, type ScryptParams, DEFAULT_SCRYPT } from './password.js';
import type { Role } from './roles.js';
import type { UserDirectory } from './users.js';

export const DEMO_USERS: readonly { username: string; displayName: string; role: Role }[] = [
  { username: 'handler', displayName: 'Demo call handler', role: 'call-handler' },
  { username: 'supervisor', displayName: 'Demo supervisor', role: 'supervisor' },
  { username: 'engineer', displayName: 'Demo engineer', role: 'engineer' },
];

/** What was done, and the password when it was generated (so that the caller can print it). */
export type DemoUsersResult = { readonly created: readonly string[]; readonly generatedPassword?: string };

/** Creates the demo users when `env.TECSOS_DEMO_USERS === '1'`; otherwise does nothing. */
export async function ensureDemoUsers(
  users: UserDirectory,
  env: Readonly<Record<string, string | undefined>>,
  params: ScryptParams = DEFAULT_SCRYPT,
): Promise<DemoUsersResult> {
  if (env['TECSOS_DEMO_USERS'] !== '1') return { created: [] };
  const given = env['TECSOS_DEMO_PASSWORD'];
  const password = given !== undefined && given !== '' ? given : randomBytes(12).toString('base64url');
  const created: string[] = [];
  for (const u of DEMO_USERS) {
    if (users.find(u.username) !== undefined) continue;
    const r = await users.create({ ...u, passwordHash: await hashPassword(password, params), by: 'demo' });
    if (r.ok) created.push(u.username);
  }
  const generated = given === undefined || given === '';
  return generated && created.length > 0 ? { created, generatedPassword: password } : { created };
}
