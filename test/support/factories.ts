import { randomBytes } from 'node:crypto';
import type { TestApp } from './app.js';

export interface RegisteredUser {
  id: number;
  email: string;
  name: string;
  password: string;
  token: string;
  /** Ready-made headers for supertest's .set(). */
  auth: { Authorization: string; 'X-Workspace-Id'?: string };
}

let counter = 0;
export const uniqueEmail = (prefix = 'user'): string =>
  `${prefix}-${Date.now()}-${++counter}-${randomBytes(3).toString('hex')}@example.com`;

export function buildRegistration(
  overrides: Partial<{ email: string; password: string; name: string }> = {},
) {
  return { email: uniqueEmail(), password: 'securepassword', name: 'John Doe', ...overrides };
}

/** Registers through the real API and signs in: a user with their own workspace. */
export async function createUser(
  t: TestApp,
  overrides: Partial<{ email: string; password: string; name: string }> = {},
): Promise<RegisteredUser> {
  const input = buildRegistration(overrides);
  const reg = await t.http.post('/api/auth/register').send(input).expect(200);
  const login = await t.http
    .post('/api/auth/login')
    .send({ email: input.email, password: input.password })
    .expect(200);
  const token = (login.body as { access_token: string }).access_token;
  return {
    id: (reg.body as { id: number }).id,
    email: (reg.body as { email: string }).email,
    name: input.name,
    password: input.password,
    token,
    auth: { Authorization: `Bearer ${token}` },
  };
}

/**
 * A new user who joined `owner`'s workspace through an invite link. Their `auth` acts in
 * that workspace (X-Workspace-Id): their default is the workspace they registered with.
 */
export async function createTeammate(
  t: TestApp,
  owner: RegisteredUser,
  name: string,
  role: 'admin' | 'agent' = 'agent',
): Promise<RegisteredUser> {
  const mate = await createUser(t, { name });
  const invite = await t.http
    .post('/api/workspace/invites')
    .set(owner.auth)
    .send({ role })
    .expect(201);
  await t.http
    .post(`/api/invites/${(invite.body as { token: string }).token}/accept`)
    .set(mate.auth)
    .expect(200);
  const me = await t.http.get('/api/auth/me').set(owner.auth).expect(200);
  const workspaceId = (me.body as { workspace: { id: number } }).workspace.id;
  return { ...mate, auth: { ...mate.auth, 'X-Workspace-Id': String(workspaceId) } };
}
