import { describe, expect, it } from '@jest/globals';
import { GraphApiError, isRetryableGraphError, metaTitle } from './whatsapp.errors.js';

describe('isRetryableGraphError', () => {
  it.each([
    [429, 130429],
    [400, 131056],
    [400, 4],
    [500, 131000],
    [503, 2],
    [502, null],
  ])('retries HTTP %i with code %p', (http, code) => {
    expect(isRetryableGraphError(http, code)).toBe(true);
  });

  it.each([
    [401, 190],
    [400, 100],
    [400, 131026],
    [400, 131047],
    [404, 132001],
    [404, null],
  ])('does not retry HTTP %i with code %p', (http, code) => {
    expect(isRetryableGraphError(http, code)).toBe(false);
  });

  it('trusts Meta when it marks an error transient', () => {
    expect(isRetryableGraphError(400, 100, true)).toBe(true);
  });
});

describe(GraphApiError.name, () => {
  it('maps a rejected token to 502 whatsapp_auth_failed with Meta details', () => {
    const err = new GraphApiError(401, {
      message: 'Error validating access token: Session has expired.',
      type: 'OAuthException',
      code: 190,
      error_subcode: 463,
      fbtrace_id: 'AbC',
    });
    expect(err).toMatchObject({
      status: 502,
      code: 'whatsapp_auth_failed',
      retryable: false,
      metaCode: 190,
    });
    expect(err.message).toContain('Session has expired');
    expect(err.details).toEqual({
      meta_code: 190,
      meta_subcode: 463,
      meta_type: 'OAuthException',
      fbtrace_id: 'AbC',
    });
  });

  it('maps a rate limit to a retryable 503', () => {
    const err = new GraphApiError(429, { message: '(#130429) Rate limit hit', code: 130429 });
    expect(err).toMatchObject({
      status: 503,
      code: 'whatsapp_rate_limited',
      retryable: true,
      title: 'Rate limit hit',
    });
  });

  it('keeps the title of a permanent error for operators', () => {
    const err = new GraphApiError(400, {
      message: '(#131026) Message undeliverable',
      code: 131026,
      error_data: { details: 'Message Undeliverable.' },
    });
    expect(err).toMatchObject({
      status: 502,
      code: 'whatsapp_error',
      retryable: false,
      title: 'Message undeliverable',
    });
    expect(err.metaDetails).toBe('Message Undeliverable.');
  });
});

describe('metaTitle', () => {
  it('drops the code prefix', () => {
    expect(metaTitle('(#100) Invalid parameter')).toBe('Invalid parameter');
    expect(metaTitle('Plain message')).toBe('Plain message');
  });
});
