import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/app.js';
import { buildRegistration, createUser, uniqueEmail } from '../support/factories.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: '3', RATE_LIMIT_PER_MINUTE: '20' });
});
afterAll(async () => {
  await t.close();
});

/** Four sign-ups, each forwarded for a different client address; their statuses. */
async function signUpsFromFourAddresses(app: TestApp): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) {
    const res = await app.http
      .post('/api/auth/register')
      .set('X-Forwarded-For', `192.0.2.${i + 1}`)
      .send(buildRegistration());
    statuses.push(res.status);
  }
  return statuses;
}

describe('rate limits', () => {
  it('answers 429 with Retry-After after too many sign-ins for one email', async () => {
    const email = uniqueEmail();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await t.http
        .post('/api/auth/login')
        .set('X-Forwarded-For', `203.0.113.${i + 1}`) // a different IP each time
        .send({ email, password: 'guess-' + i });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        expect(res.body).toMatchObject({
          status_code: 429,
          message: 'Too many requests; try again later',
        });
      }
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('limits sign-ups per IP', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await t.http.post('/api/auth/register').send(buildRegistration());
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('tells clients apart by X-Forwarded-For from a trusted proxy (loopback by default)', async () => {
    expect(await signUpsFromFourAddresses(t)).toEqual([200, 200, 200, 200]);
  });

  it('never limits the webhook or the health check', async () => {
    for (let i = 0; i < 25; i++) {
      await t.http.get('/api/health').expect(200);
    }
    const hits = await Promise.all(
      Array.from({ length: 25 }, () =>
        t.http.post('/api/webhook').send({ object: 'page', entry: [] }),
      ),
    );
    expect(hits.every((r) => r.status === 200)).toBe(true);
  });

  it('applies the global limit to other routes', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      statuses.push((await t.http.get('/api/stats').set('X-Forwarded-For', '198.51.100.7')).status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });
});

describe('rate limits behind a proxy that is not trusted', () => {
  let untrusting: TestApp;
  beforeAll(async () => {
    // The load balancer is 10.1.2.3, so a forwarded-for header from loopback is not believed.
    untrusting = await createTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: '10.1.2.3' });
  });
  afterAll(async () => {
    await untrusting.close();
  });

  it('counts every request as the connecting address', async () => {
    expect(await signUpsFromFourAddresses(untrusting)).toEqual([200, 200, 200, 429]);
  });
});

describe('sign-in limits count failures', () => {
  let office: TestApp;
  beforeAll(async () => {
    office = await createTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(async () => {
    await office.close();
  });

  it('lets a team sign in from one address, and still stops guessing', async () => {
    const user = await createUser(office);
    const signIn = (password: string) =>
      office.http
        .post('/api/auth/login')
        .set('X-Forwarded-For', '198.51.100.20') // the office's one public address
        .send({ email: user.email, password });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await signIn(user.password)).status);
    for (let i = 0; i < 3; i++) statuses.push((await signIn('wrong-' + i)).status);
    statuses.push((await signIn(user.password)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 401, 401, 401, 429]);
  });
});
