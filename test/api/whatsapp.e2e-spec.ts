import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { createTestApp } from '../support/app.js';
import { startWiredApp, type WiredApp } from '../support/emulator.js';
import { createUser } from '../support/factories.js';

// Apps, the emulator and queued work: more than Jest's default 5 s per test.
jest.setTimeout(30_000);

let w: WiredApp;
beforeAll(async () => {
  // A short Graph timeout, so the "Meta is too slow" case stays quick.
  w = await startWiredApp({ env: { WA_API_TIMEOUT_MS: '400' } });
});
afterAll(async () => {
  await w.close();
});
beforeEach(() => {
  w.meta.clearFailures();
  w.meta.configure({ latencyMs: 0, tokenExpired: false });
});

const get = (path: string) => w.t.http.get(`/api/whatsapp/${path}`).set(w.owner.auth);

describe('GET /api/whatsapp/*', () => {
  it('verify answers SPEC shape with the phone number id', async () => {
    const res = await get('verify').expect(200);
    expect(res.body).toEqual({ status: 'ok', data: { id: w.meta.identity.phoneNumberId } });
  });

  it("profile answers the business profile's SPEC fields", async () => {
    const res = await get('profile').expect(200);
    expect(res.body).toEqual({
      about: 'Fresh plants, delivered.',
      address: '1 Hacker Way, Menlo Park, CA 94025',
      description: 'Lucky Shrub sells houseplants and garden supplies online.',
      email: 'hello@luckyshrub.example',
      profile_picture_url: 'https://pps.whatsapp.net/v/t61.24694-24/lucky-shrub.jpg',
      websites: ['https://www.luckyshrub.com'],
      vertical: 'RETAIL',
    });
  });

  it('phone-numbers answers a list of SPEC phone numbers', async () => {
    const res = await get('phone-numbers').expect(200);
    expect(res.body).toEqual([
      {
        id: w.meta.identity.phoneNumberId,
        display_phone_number: w.meta.identity.displayPhoneNumber,
        quality_rating: 'GREEN',
        status: 'CONNECTED',
        verified_name: w.meta.identity.verifiedName,
      },
    ]);
  });

  it('templates answers {data: [...]} with every template and its components', async () => {
    const res = await get('templates').expect(200);
    const data = (res.body as { data: Record<string, unknown>[] }).data;
    expect(data.length).toBeGreaterThanOrEqual(7);
    expect(data).toContainEqual({
      id: '1192034215573560',
      name: 'hello_world',
      status: 'APPROVED',
      category: 'UTILITY',
      language: 'en_US',
      components: expect.arrayContaining([expect.objectContaining({ type: 'BODY' })]) as unknown,
    });
    expect(data.map((t) => t.status)).toContain('PENDING');
  });

  it("answers 502 whatsapp_auth_failed with Meta's message and code when Meta rejects the token", async () => {
    w.meta.configure({ tokenExpired: true });
    const res = await get('verify').expect(502);
    expect(res.body).toMatchObject({
      status_code: 502,
      code: 'whatsapp_auth_failed',
      meta_code: 190,
      meta_subcode: 463,
      meta_type: 'OAuthException',
      fbtrace_id: expect.any(String) as unknown,
    });
    expect((res.body as { message: string }).message).toContain(
      'Error validating access token: Session has expired.',
    );
  });

  it('answers 504 whatsapp_timeout when Meta is too slow', async () => {
    w.meta.configure({ latencyMs: 1500 });
    const res = await get('profile').expect(504);
    expect(res.body).toMatchObject({ status_code: 504, code: 'whatsapp_timeout' });
    expect((res.body as { message: string }).message).toContain('WA_API_TIMEOUT_MS');
  });

  it('answers 502 whatsapp_unreachable when the connection drops, and 503 when Meta rate limits', async () => {
    w.meta.injectFailure({ code: 'disconnect', endpoint: 'all', times: 1 });
    expect((await get('verify').expect(502)).body).toMatchObject({ code: 'whatsapp_unreachable' });
    w.meta.injectFailure({ code: 4, endpoint: 'all', times: 1 });
    expect((await get('templates').expect(503)).body).toMatchObject({
      code: 'whatsapp_rate_limited',
      meta_code: 4,
    });
  });

  it('answers 503 for a workspace that has no WhatsApp number', async () => {
    const other = await createUser(w.t);
    const res = await w.t.http.get('/api/whatsapp/verify').set(other.auth).expect(503);
    expect(res.body).toMatchObject({ code: 'whatsapp_not_configured' });
  });

  it('answers 401 without a token', async () => {
    for (const path of ['verify', 'profile', 'phone-numbers', 'templates']) {
      await w.t.http.get(`/api/whatsapp/${path}`).expect(401);
    }
  });

  it('documents the four routes and their errors at /docs-json', async () => {
    const doc = (await w.t.http.get('/docs-json').expect(200)).body as {
      paths: Record<string, { get?: { responses: Record<string, unknown> } }>;
    };
    for (const path of ['verify', 'profile', 'phone-numbers', 'templates']) {
      expect(Object.keys(doc.paths[`/api/whatsapp/${path}`].get?.responses ?? {})).toEqual(
        expect.arrayContaining(['200', '401', '502', '503', '504']),
      );
    }
  });
});

// Passport keeps one global 'jwt' strategy, so these apps run one at a time (after the
// wired app's tests), each signing in its own user.
describe('GET /api/whatsapp/* without configuration', () => {
  it('answers 503 whatsapp_not_configured naming the missing variables', async () => {
    const bare = await createTestApp();
    try {
      const user = await createUser(bare);
      const res = await bare.http.get('/api/whatsapp/verify').set(user.auth).expect(503);
      expect(res.body).toMatchObject({
        status_code: 503,
        code: 'whatsapp_not_configured',
        missing: ['WA_ACCESS_TOKEN', 'WA_PHONE_NUMBER_ID'],
      });
      expect((res.body as { message: string }).message).toMatch(
        /WA_ACCESS_TOKEN and WA_PHONE_NUMBER_ID/,
      );
    } finally {
      await bare.close();
    }
  });

  it('names WA_BUSINESS_ACCOUNT_ID for the routes that need it', async () => {
    const partial = await createTestApp({
      WA_API_BASE_URL: w.meta.url,
      WA_ACCESS_TOKEN: w.meta.identity.accessToken,
      WA_PHONE_NUMBER_ID: w.meta.identity.phoneNumberId,
    });
    try {
      const user = await createUser(partial);
      await partial.http.get('/api/whatsapp/verify').set(user.auth).expect(200);
      const res = await partial.http.get('/api/whatsapp/templates').set(user.auth).expect(503);
      expect(res.body).toMatchObject({
        code: 'whatsapp_not_configured',
        missing: ['WA_BUSINESS_ACCOUNT_ID'],
      });
      await partial.http.get('/api/whatsapp/phone-numbers').set(user.auth).expect(503);
    } finally {
      await partial.close();
    }
  });
});
