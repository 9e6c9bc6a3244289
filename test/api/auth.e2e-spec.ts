import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import { createTestApp, TEST_SECRET, type TestApp } from '../support/app.js';
import { buildRegistration, createUser, uniqueEmail } from '../support/factories.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const jwt = new JwtService();
const b64 = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('POST /api/auth/register', () => {
  it('creates the user and answers SPEC user shape without the hash', async () => {
    const input = buildRegistration({ name: 'Ann Smith' });
    const res = await t.http.post('/api/auth/register').send(input).expect(200);
    expect(Object.keys(res.body as object).sort()).toEqual([
      'created_at',
      'email',
      'id',
      'is_active',
      'name',
    ]);
    expect(res.body).toMatchObject({ email: input.email, name: 'Ann Smith', is_active: true });
    expect(typeof (res.body as { id: unknown }).id).toBe('number');
    expect(new Date((res.body as { created_at: string }).created_at).getTime()).not.toBeNaN();
  });

  it('trims and lower-cases the email', async () => {
    const email = uniqueEmail('Mixed');
    const res = await t.http
      .post('/api/auth/register')
      .send(buildRegistration({ email: `  ${email.toUpperCase()} ` }))
      .expect(200);
    expect((res.body as { email: string }).email).toBe(email.toLowerCase());
  });

  it('creates a workspace owned by the new user', async () => {
    const user = await createUser(t, { name: 'Owner One' });
    const me = await t.http.get('/api/auth/me').set(user.auth).expect(200);
    expect(me.body).toMatchObject({ workspace: { role: 'owner', name: "Owner One's workspace" } });
  });

  it('answers 400 when the email is already registered, whatever its case', async () => {
    const input = buildRegistration();
    await t.http.post('/api/auth/register').send(input).expect(200);
    const res = await t.http
      .post('/api/auth/register')
      .send({ ...input, email: input.email.toUpperCase() })
      .expect(400);
    expect(res.body).toMatchObject({ status_code: 400, message: 'Email already registered' });
  });

  it('stores one user when the same email registers twice at once', async () => {
    const input = buildRegistration();
    const results = await Promise.all(
      [1, 2, 3].map(() => t.http.post('/api/auth/register').send(input)),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400]);
  });

  it.each([
    [
      'a short password',
      { password: '12345' },
      'password',
      'password must be at least 6 characters',
    ],
    [
      'a password over 72 bytes',
      { password: 'é'.repeat(37) },
      'password',
      'password must be at most 72 bytes',
    ],
    ['an invalid email', { email: 'not-an-email' }, 'email', 'email must be a valid email address'],
    ['an empty name', { name: '   ' }, 'name', 'name must not be empty'],
    ['a number as name', { name: 42 }, 'name', 'name must be a string'],
  ])('answers 422 naming the field for %s', async (_case, override, field, message) => {
    const res = await t.http
      .post('/api/auth/register')
      .send({ ...buildRegistration(), ...override })
      .expect(422);
    expect(res.body).toMatchObject({ status_code: 422, errors: [{ field, message }] });
  });

  it('answers 422 for a missing field and for an unknown field', async () => {
    const missing = await t.http
      .post('/api/auth/register')
      .send({ email: uniqueEmail(), password: 'secret1' });
    expect(missing.status).toBe(422);
    expect((missing.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(
      'name',
    );
    const unknown = await t.http
      .post('/api/auth/register')
      .send({ ...buildRegistration(), is_admin: true })
      .expect(422);
    expect((unknown.body as { message: string }).message).toContain(
      'property is_admin should not exist',
    );
  });

  it('accepts a 6-character password and a 72-byte one', async () => {
    await t.http
      .post('/api/auth/register')
      .send(buildRegistration({ password: 'abcdef' }))
      .expect(200);
    await t.http
      .post('/api/auth/register')
      .send(buildRegistration({ password: 'é'.repeat(36) }))
      .expect(200);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const res = await t.http
      .post('/api/auth/register')
      .set('Content-Type', 'application/json')
      .send('{"email": ')
      .expect(400);
    expect((res.body as { message: string }).message).toMatch(/^Request body is not valid JSON/);
  });
});

describe('POST /api/auth/login', () => {
  it('answers a bearer token for the right password, matching the email case-insensitively', async () => {
    const user = await createUser(t);
    const res = await t.http
      .post('/api/auth/login')
      .send({ email: ` ${user.email.toUpperCase()} `, password: user.password })
      .expect(200);
    expect(res.body).toMatchObject({ token_type: 'bearer' });
    const claims = jwt.verify<{ sub: string; exp: number; iat: number }>(
      (res.body as { access_token: string }).access_token,
      { secret: TEST_SECRET },
    );
    expect(claims.sub).toBe(String(user.id));
    expect(claims.exp - claims.iat).toBe(30 * 60);
  });

  it('answers 401 for a wrong password and for an unknown email, with the same message', async () => {
    const user = await createUser(t);
    const wrong = await t.http
      .post('/api/auth/login')
      .send({ email: user.email, password: 'nope-nope' })
      .expect(401);
    const unknown = await t.http
      .post('/api/auth/login')
      .send({ email: uniqueEmail(), password: 'whatever' })
      .expect(401);
    expect((wrong.body as { message: string }).message).toBe('Incorrect email or password');
    expect((unknown.body as { message: string }).message).toBe('Incorrect email or password');
  });

  it('answers 422 when a field is missing', async () => {
    await t.http.post('/api/auth/login').send({ email: uniqueEmail() }).expect(422);
  });
});

describe('GET /api/auth/me', () => {
  it('answers the signed-in user', async () => {
    const user = await createUser(t, { name: 'Me Myself' });
    const res = await t.http.get('/api/auth/me').set(user.auth).expect(200);
    expect(res.body).toMatchObject({
      id: user.id,
      email: user.email,
      name: 'Me Myself',
      is_active: true,
    });
    expect(res.body).not.toHaveProperty('hashed_password');
  });

  it('answers 401 without a token', async () => {
    const res = await t.http.get('/api/auth/me').expect(401);
    expect(res.body).toMatchObject({ status_code: 401, message: 'Not authenticated' });
  });

  it('answers 401 for a malformed token', async () => {
    await t.http.get('/api/auth/me').set('Authorization', 'Bearer not.a.jwt').expect(401);
    await t.http.get('/api/auth/me').set('Authorization', 'Basic dXNlcjpwYXNz').expect(401);
  });

  it('answers 401 "Token has expired" for an expired token', async () => {
    const user = await createUser(t);
    const token = jwt.sign(
      { sub: String(user.id), ver: 0, exp: Math.floor(Date.now() / 1000) - 10 },
      { secret: TEST_SECRET },
    );
    const res = await t.http
      .get('/api/auth/me')
      .set('Authorization', `Bearer ${token}`)
      .expect(401);
    expect((res.body as { message: string }).message).toBe('Token has expired');
  });

  it('answers 401 for a token signed with another key', async () => {
    const user = await createUser(t);
    const token = jwt.sign(
      { sub: String(user.id), ver: 0 },
      { secret: 'another-secret-another-secret-123', expiresIn: 600 },
    );
    await t.http.get('/api/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
  });

  it('answers 401 for an unsigned (alg none) token and for a token without exp', async () => {
    const user = await createUser(t);
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: String(user.id), ver: 0, exp: 9999999999 })}.`;
    await t.http.get('/api/auth/me').set('Authorization', `Bearer ${none}`).expect(401);
    const noExp = jwt.sign({ sub: String(user.id), ver: 0 }, { secret: TEST_SECRET });
    await t.http.get('/api/auth/me').set('Authorization', `Bearer ${noExp}`).expect(401);
  });

  it('answers 401 for an RS256 token, even one carrying valid claims', async () => {
    const user = await createUser(t);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rs256 = new JwtService().sign(
      { sub: String(user.id), ver: 0 },
      {
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }),
        algorithm: 'RS256',
        expiresIn: 600,
      },
    );
    expect(JSON.parse(Buffer.from(rs256.split('.')[0], 'base64url').toString())).toMatchObject({
      alg: 'RS256',
    });
    await t.http.get('/api/auth/me').set('Authorization', `Bearer ${rs256}`).expect(401);
    // The same claims HS256-signed with the server key pass: only the algorithm differs.
    const hs256 = jwt.sign(
      { sub: String(user.id), ver: 0 },
      { secret: TEST_SECRET, expiresIn: 600 },
    );
    await t.http.get('/api/auth/me').set('Authorization', `Bearer ${hs256}`).expect(200);
  });

  it('answers 401 for the token of a deactivated user, and of a deleted one', async () => {
    const user = await createUser(t);
    await t.db.query('UPDATE users SET is_active = false WHERE id = $1', [user.id]);
    const res = await t.http.get('/api/auth/me').set(user.auth).expect(401);
    expect((res.body as { message: string }).message).toBe('This account is deactivated');
    await t.http
      .post('/api/auth/login')
      .send({ email: user.email, password: user.password })
      .expect(401);
    await t.db.query('DELETE FROM users WHERE id = $1', [user.id]);
    await t.http.get('/api/auth/me').set(user.auth).expect(401);
  });

  it('answers 401 for a token issued before the token version changed', async () => {
    const user = await createUser(t);
    await t.db.query('UPDATE users SET token_version = token_version + 1 WHERE id = $1', [user.id]);
    await t.http.get('/api/auth/me').set(user.auth).expect(401);
  });
});

describe('PUT /api/auth/me', () => {
  it('renames through the query string as in SPEC', async () => {
    const user = await createUser(t);
    const res = await t.http.put('/api/auth/me?name=Jane%20Doe').set(user.auth).expect(200);
    expect(res.body).toMatchObject({ id: user.id, name: 'Jane Doe' });
    const me = await t.http.get('/api/auth/me').set(user.auth).expect(200);
    expect((me.body as { name: string }).name).toBe('Jane Doe');
  });

  it('renames through a JSON body too', async () => {
    const user = await createUser(t);
    const res = await t.http
      .put('/api/auth/me')
      .set(user.auth)
      .send({ name: '  Body Name ' })
      .expect(200);
    expect((res.body as { name: string }).name).toBe('Body Name');
  });

  it('answers 422 for a missing or empty name and 401 without a token', async () => {
    const user = await createUser(t);
    const missing = await t.http.put('/api/auth/me').set(user.auth).expect(422);
    expect(missing.body).toMatchObject({
      errors: [{ field: 'name', message: 'name is required' }],
    });
    await t.http.put('/api/auth/me?name=').set(user.auth).expect(422);
    await t.http
      .put(`/api/auth/me?name=${'x'.repeat(201)}`)
      .set(user.auth)
      .expect(422);
    await t.http.put('/api/auth/me?name=Someone').expect(401);
  });
});

describe('PUT /api/auth/password', () => {
  it('changes the password, refuses every older token and answers a working new one', async () => {
    const user = await createUser(t);
    // A second session (another device) signed in before the change.
    const other = await t.http
      .post('/api/auth/login')
      .send({ email: user.email, password: user.password })
      .expect(200);
    const otherAuth = {
      Authorization: `Bearer ${(other.body as { access_token: string }).access_token}`,
    };
    const res = await t.http
      .put('/api/auth/password')
      .set(user.auth)
      .send({ current_password: user.password, new_password: 'brand-new-secret' })
      .expect(200);
    expect(res.body).toMatchObject({ token_type: 'bearer' });
    expect(JSON.stringify(res.body)).not.toContain('brand-new-secret');
    const fresh = {
      Authorization: `Bearer ${(res.body as { access_token: string }).access_token}`,
    };
    await t.http.get('/api/auth/me').set(user.auth).expect(401);
    await t.http.get('/api/auth/me').set(otherAuth).expect(401);
    await t.http.get('/api/auth/me').set(fresh).expect(200);
    await t.http
      .post('/api/auth/login')
      .send({ email: user.email, password: user.password })
      .expect(401);
    await t.http
      .post('/api/auth/login')
      .send({ email: user.email, password: 'brand-new-secret' })
      .expect(200);
    const [row] = await t.db.query<{ token_version: number }[]>(
      'SELECT token_version FROM users WHERE id = $1',
      [user.id],
    );
    expect(row.token_version).toBe(1);
  });

  it('answers 400 for a wrong current password and changes nothing', async () => {
    const user = await createUser(t);
    const res = await t.http
      .put('/api/auth/password')
      .set(user.auth)
      .send({ current_password: 'not-my-password', new_password: 'brand-new-secret' })
      .expect(400);
    expect((res.body as { message: string }).message).toBe('Current password is incorrect');
    await t.http.get('/api/auth/me').set(user.auth).expect(200);
    await t.http
      .post('/api/auth/login')
      .send({ email: user.email, password: user.password })
      .expect(200);
  });

  it('answers 422 for a short or missing new password, 401 without a token', async () => {
    const user = await createUser(t);
    const short = await t.http
      .put('/api/auth/password')
      .set(user.auth)
      .send({ current_password: user.password, new_password: '123' })
      .expect(422);
    expect(short.body).toMatchObject({
      errors: [{ field: 'new_password', message: 'new_password must be at least 6 characters' }],
    });
    await t.http
      .put('/api/auth/password')
      .set(user.auth)
      .send({ current_password: user.password })
      .expect(422);
    await t.http
      .put('/api/auth/password')
      .send({ current_password: user.password, new_password: 'brand-new-secret' })
      .expect(401);
  });

  it('lets only one of two concurrent changes win', async () => {
    const user = await createUser(t);
    const results = await Promise.all(
      ['first-new-secret', 'second-new-secret'].map((p) =>
        t.http
          .put('/api/auth/password')
          .set(user.auth)
          .send({ current_password: user.password, new_password: p }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses[0]).toBe(200);
    const [row] = await t.db.query<{ token_version: number }[]>(
      'SELECT token_version FROM users WHERE id = $1',
      [user.id],
    );
    expect(row.token_version).toBe(statuses.filter((s) => s === 200).length);
  });
});

describe('GET /api/health', () => {
  it('answers ok without a token', async () => {
    const res = await t.http.get('/api/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok' });
  });
});

describe('OpenAPI', () => {
  it('documents the auth routes with bearer security at /docs-json', async () => {
    const res = await t.http.get('/docs-json').expect(200);
    const doc = res.body as {
      paths: Record<string, Record<string, { security?: unknown[]; responses: object }>>;
    };
    expect(doc.paths['/api/auth/me'].get.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(doc.paths['/api/auth/register'].post.responses)).toEqual(
      expect.arrayContaining(['200', '400', '422']),
    );
  });

  it('offers X-Workspace-Id and the bearer token only where a token is taken', async () => {
    const res = await t.http.get('/docs-json').expect(200);
    type Operation = {
      security?: unknown[];
      parameters?: { name: string }[];
      responses: Record<string, { description?: string }>;
    };
    const doc = res.body as { paths: Record<string, Record<string, Operation>> };
    const header = (op: Operation) =>
      (op.parameters ?? []).some((p) => p.name === 'X-Workspace-Id');
    const operations = Object.values(doc.paths).flatMap((ops) => Object.values(ops));
    for (const op of operations) {
      expect(header(op)).toBe((op.security ?? []).length > 0);
      for (const [status, response] of Object.entries(op.responses)) {
        if (status.startsWith('2')) expect(response.description).toBeTruthy();
      }
    }
    for (const op of [
      doc.paths['/api/invites/{token}'].get,
      doc.paths['/api/webhook'].post,
      doc.paths['/api/auth/login'].post,
    ]) {
      expect(op.security).toBeUndefined();
      expect(header(op)).toBe(false);
    }
    expect(doc.paths['/api/invites/{token}'].get.responses['401']).toBeUndefined();
    // Every error answer is the JSON error body, with an example of its own status.
    for (const op of operations) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (!/^[45]/.test(status)) continue;
        const json = (response as { content?: Record<string, { example?: object }> }).content;
        expect(Object.keys(json ?? {})).toEqual(['application/json']);
        expect(json?.['application/json'].example).toMatchObject({ status_code: Number(status) });
      }
    }
    expect(header(doc.paths['/api/invites/{token}/accept'].post)).toBe(true);
  });
});
