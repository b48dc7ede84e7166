// Users, roles and login.

import { z } from 'zod';
import { Username } from './common.js';

export const Role = z.enum(['call-handler', 'supervisor', 'engineer']);
export type Role = z.infer<typeof Role>;

/** POST /api/login */
export const LoginRequest = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

/** POST /api/users (supervisor). */
export const UserCreateRequest = z.strictObject({
  username: Username,
  displayName: z.string().min(1).max(100),
  role: Role,
  password: z.string().min(12).max(256),
});
export type UserCreateRequest = z.infer<typeof UserCreateRequest>;

/** A user as the API shows it (never the hash). Also the body of a successful login. */
export const UserView = z.object({
  username: Username,
  displayName: z.string().max(100),
  role: Role,
});
export type UserView = z.infer<typeof UserView>;
