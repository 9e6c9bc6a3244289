import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/app.js';
import { buildRegistration, createUser, type RegisteredUser } from '../support/factories.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

interface Created {
  id: number;
  token: string;
}

async function invite(owner: RegisteredUser, body: object = {}): Promise<Created> {
  const res = await t.http.post('/api/workspace/invites').set(owner.auth).send(body).expect(201);
  return res.body as Created;
}

async function workspaceOf(user: RegisteredUser): Promise<number> {
  const me = await t.http.get('/api/auth/me').set(user.auth).expect(200);
  return (me.body as { workspace: { id: number } }).workspace.id;
}

/** An owner plus a teammate who joined through an invite with `role`. */
async function team(role: 'admin' | 'agent' = 'agent') {
  const owner = await createUser(t, { name: 'Owner' });
  const mate = await createUser(t, { name: 'Mate' });
  const { token } = await invite(owner, { role });
  await t.http.post(`/api/invites/${token}/accept`).set(mate.auth).expect(200);
  const workspaceId = await workspaceOf(owner);
  const inWs = (u: RegisteredUser) => ({ ...u.auth, 'X-Workspace-Id': String(workspaceId) });
  return { owner, mate, workspaceId, inWs };
}

describe('POST /api/workspace/invites', () => {
  it('answers a token shown once and lists the invite without it', async () => {
    const owner = await createUser(t);
    const created = await invite(owner, { max_uses: 3, expires_in_hours: 2 });
    expect(created).toMatchObject({ role: 'agent', max_uses: 3, uses: 0, status: 'pending' });
    expect(created.token).toMatch(/^[\w-]{40,}$/);
    const list = await t.http.get('/api/workspace/invites').set(owner.auth).expect(200);
    expect(list.body).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain(created.token);
  });

  it('answers 422 for a role of owner', async () => {
    const owner = await createUser(t);
    await t.http.post('/api/workspace/invites').set(owner.auth).send({ role: 'owner' }).expect(422);
  });
});

describe('POST /api/auth/register with invite_token', () => {
  it('joins the workspace as agent instead of creating one', async () => {
    const owner = await createUser(t);
    const { token } = await invite(owner);
    const input = buildRegistration({ name: 'Invited' });
    const reg = await t.http
      .post('/api/auth/register')
      .send({ ...input, invite_token: token })
      .expect(200);
    expect(Object.keys(reg.body as object).sort()).toEqual([
      'created_at',
      'email',
      'id',
      'is_active',
      'name',
    ]);
    const login = await t.http
      .post('/api/auth/login')
      .send({ email: input.email, password: input.password })
      .expect(200);
    const auth = {
      Authorization: `Bearer ${(login.body as { access_token: string }).access_token}`,
    };
    const me = await t.http.get('/api/auth/me').set(auth).expect(200);
    expect((me.body as { workspace: object }).workspace).toMatchObject({
      id: await workspaceOf(owner),
      role: 'agent',
    });
    const mine = await t.http.get('/api/workspaces').set(auth).expect(200);
    expect(mine.body).toHaveLength(1);
  });

  it('creates nothing when the invite is used up', async () => {
    const owner = await createUser(t);
    const { token } = await invite(owner);
    await t.http
      .post('/api/auth/register')
      .send({ ...buildRegistration(), invite_token: token })
      .expect(200);
    const input = buildRegistration();
    const res = await t.http
      .post('/api/auth/register')
      .send({ ...input, invite_token: token })
      .expect(410);
    expect(res.body).toMatchObject({ message: 'This invite has already been used' });
    await t.http
      .post('/api/auth/login')
      .send({ email: input.email, password: input.password })
      .expect(401);
  });
});

describe('POST /api/invites/:token/accept', () => {
  it('adds a signed-in user who can then switch with X-Workspace-Id', async () => {
    const { mate, workspaceId, inWs } = await team();
    const mine = await t.http.get('/api/workspaces').set(mate.auth).expect(200);
    expect((mine.body as { id: number; role: string }[]).map((w) => w.role)).toEqual([
      'owner',
      'agent',
    ]);
    // Without the header: the oldest membership (their own workspace).
    expect(await workspaceOf(mate)).not.toBe(workspaceId);
    const me = await t.http.get('/api/auth/me').set(inWs(mate)).expect(200);
    expect(me.body).toMatchObject({ workspace: { id: workspaceId, role: 'agent' } });
  });

  it('answers 401 for a workspace the user does not belong to', async () => {
    const { workspaceId } = await team();
    const stranger = await createUser(t);
    await t.http
      .get('/api/auth/me')
      .set({ ...stranger.auth, 'X-Workspace-Id': String(workspaceId) })
      .expect(401);
  });

  it('answers 410 once the invite has expired', async () => {
    const owner = await createUser(t);
    const { id, token } = await invite(owner);
    await t.db.query(
      `UPDATE workspace_invites SET expires_at = now() - interval '1 minute' WHERE id = $1`,
      [id],
    );
    const user = await createUser(t);
    const res = await t.http.post(`/api/invites/${token}/accept`).set(user.auth).expect(410);
    expect(res.body).toMatchObject({ message: 'This invite has expired' });
    const list = await t.http.get('/api/workspace/invites').set(owner.auth).expect(200);
    expect(list.body).toMatchObject([{ id, status: 'expired' }]);
  });

  it('honours max_uses, even when accepted concurrently', async () => {
    const owner = await createUser(t);
    const { token } = await invite(owner, { max_uses: 2 });
    const users = await Promise.all([1, 2, 3, 4].map(() => createUser(t)));
    const statuses = await Promise.all(
      users.map(
        async (u) => (await t.http.post(`/api/invites/${token}/accept`).set(u.auth)).status,
      ),
    );
    expect(statuses.sort()).toEqual([200, 200, 410, 410]);
    const members = await t.http.get('/api/workspace/members').set(owner.auth).expect(200);
    expect(members.body).toHaveLength(3);
  });

  it('answers 404 after revocation, and 409 to a member', async () => {
    const owner = await createUser(t);
    const { id, token } = await invite(owner, { max_uses: 5 });
    const mate = await createUser(t);
    await t.http.post(`/api/invites/${token}/accept`).set(mate.auth).expect(200);
    await t.http.post(`/api/invites/${token}/accept`).set(mate.auth).expect(409);
    await t.http.delete(`/api/workspace/invites/${id}`).set(owner.auth).expect(204);
    const late = await createUser(t);
    await t.http.post(`/api/invites/${token}/accept`).set(late.auth).expect(404);
    await t.http.post(`/api/invites/not-a-real-token-0123456789/accept`).set(late.auth).expect(404);
  });

  it('answers 404 when revoking another workspace’s invite', async () => {
    const a = await createUser(t);
    const b = await createUser(t);
    const { id } = await invite(b);
    await t.http.delete(`/api/workspace/invites/${id}`).set(a.auth).expect(404);
  });
});

describe('GET /api/invites/:token', () => {
  it('answers the workspace, role and expiry without a token, and consumes nothing', async () => {
    const owner = await createUser(t, { name: 'Previewed Owner' });
    const { token } = await invite(owner, { role: 'admin', expires_in_hours: 5 });
    const res = await t.http.get(`/api/invites/${token}`).expect(200);
    const workspaceId = await workspaceOf(owner);
    const me = await t.http.get('/api/auth/me').set(owner.auth).expect(200);
    expect(res.body).toEqual({
      workspace_id: workspaceId,
      workspace_name: (me.body as { workspace: { name: string } }).workspace.name,
      role: 'admin',
      expires_at: expect.any(String),
    });
    const hours = (Date.parse((res.body as { expires_at: string }).expires_at) - Date.now()) / 36e5;
    expect(hours).toBeGreaterThan(4.9);
    expect(hours).toBeLessThanOrEqual(5);
    const list = await t.http.get('/api/workspace/invites').set(owner.auth).expect(200);
    expect(list.body).toMatchObject([{ uses: 0, status: 'pending' }]);
  });

  it('answers 404 for an unknown or revoked invite, 410 for an expired or used-up one', async () => {
    const owner = await createUser(t);
    await t.http.get('/api/invites/not-a-real-token-0123456789').expect(404);
    await t.http.get('/api/invites/short').expect(422);

    const revoked = await invite(owner);
    await t.http.delete(`/api/workspace/invites/${revoked.id}`).set(owner.auth).expect(204);
    await t.http.get(`/api/invites/${revoked.token}`).expect(404);

    const expired = await invite(owner);
    await t.db.query(
      `UPDATE workspace_invites SET expires_at = now() - interval '1 minute' WHERE id = $1`,
      [expired.id],
    );
    const gone = await t.http.get(`/api/invites/${expired.token}`).expect(410);
    expect(gone.body).toMatchObject({ message: 'This invite has expired' });

    const used = await invite(owner);
    await t.http.post(`/api/invites/${used.token}/accept`).set((await createUser(t)).auth);
    const usedUp = await t.http.get(`/api/invites/${used.token}`).expect(410);
    expect(usedUp.body).toMatchObject({ message: 'This invite has already been used' });
  });
});

describe('members and roles', () => {
  it('lists members with their roles, owner first', async () => {
    const { owner, mate, inWs } = await team();
    const res = await t.http.get('/api/workspace/members').set(inWs(mate)).expect(200);
    expect(res.body).toMatchObject([
      { user_id: owner.id, role: 'owner', email: owner.email },
      { user_id: mate.id, role: 'agent', email: mate.email },
    ]);
  });

  it('forbids agents every management route with 403', async () => {
    const { owner, mate, inWs } = await team('agent');
    const h = inWs(mate);
    const calls = [
      t.http.post('/api/workspace/invites').set(h).send({}),
      t.http.get('/api/workspace/invites').set(h),
      t.http.delete('/api/workspace/invites/1').set(h),
      t.http.delete(`/api/workspace/members/${owner.id}`).set(h),
      t.http.patch(`/api/workspace/members/${mate.id}`).set(h).send({ role: 'admin' }),
      t.http.post('/api/workspace/transfer-ownership').set(h).send({ user_id: mate.id }),
      t.http.get('/api/whatsapp/numbers').set(h),
      t.http.post('/api/whatsapp/numbers').set(h).send({}),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res.status).toBe(403);
      expect((res.body as { message: string }).message).toMatch(/needs the .* role/);
    }
  });

  it('lets an admin change roles and remove members, but not touch the owner', async () => {
    const { owner, mate: admin, workspaceId, inWs } = await team('admin');
    const agent = await createUser(t);
    const { token } = await invite(owner);
    await t.http.post(`/api/invites/${token}/accept`).set(agent.auth).expect(200);
    const h = inWs(admin);
    const promoted = await t.http
      .patch(`/api/workspace/members/${agent.id}`)
      .set(h)
      .send({ role: 'admin' })
      .expect(200);
    expect(promoted.body).toMatchObject({ user_id: agent.id, role: 'admin' });
    await t.http
      .patch(`/api/workspace/members/${owner.id}`)
      .set(h)
      .send({ role: 'agent' })
      .expect(403);
    await t.http.delete(`/api/workspace/members/${owner.id}`).set(h).expect(403);
    await t.http
      .post('/api/workspace/transfer-ownership')
      .set(h)
      .send({ user_id: admin.id })
      .expect(403);
    await t.http.delete(`/api/workspace/members/${agent.id}`).set(h).expect(204);
    // The removed member can no longer act in the workspace.
    await t.http
      .get('/api/auth/me')
      .set({ ...agent.auth, 'X-Workspace-Id': String(workspaceId) })
      .expect(401);
    await t.http.delete(`/api/workspace/members/${agent.id}`).set(h).expect(404);
  });

  it('lets the owner transfer ownership and stay on as admin', async () => {
    const { owner, mate, inWs } = await team();
    await t.http
      .post('/api/workspace/transfer-ownership')
      .set(owner.auth)
      .send({ user_id: mate.id })
      .expect(204);
    const res = await t.http.get('/api/workspace/members').set(owner.auth).expect(200);
    expect(res.body).toMatchObject([
      { user_id: mate.id, role: 'owner' },
      { user_id: owner.id, role: 'admin' },
    ]);
    const me = await t.http.get('/api/auth/me').set(inWs(mate)).expect(200);
    expect(me.body).toMatchObject({ workspace: { role: 'owner' } });
    const stranger = await createUser(t);
    await t.http
      .post('/api/workspace/transfer-ownership')
      .set(inWs(mate))
      .send({ user_id: stranger.id })
      .expect(404);
  });
});
