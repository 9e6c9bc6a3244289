import { describe, expect, it } from '@jest/globals';
import { serializeRequest, serializeResponse } from './request-serializers.js';

describe('request log serializers', () => {
  it('keeps id, method, redacted URL, address and agent, and no headers, query or params', () => {
    const logged = serializeRequest({
      id: 'req-1',
      method: 'GET',
      url: '/api/events?access_token=eyJ.a.b&last_event_id=4',
      remoteAddress: '127.0.0.1',
      raw: { ip: '203.0.113.9' }, // Express's req.ip, from a trusted proxy's X-Forwarded-For
      headers: {
        authorization: 'Bearer eyJ.a.b',
        cookie: 'sid=secret',
        'x-hub-signature-256': 'sha256=abc',
        'user-agent': 'facebookexternalua',
      },
      // What pino-std-serializers also hands over; none of it may reach the line.
      ...{ query: { access_token: 'eyJ.a.b' }, params: { token: 'invite-token' } },
    });
    expect(logged).toEqual({
      id: 'req-1',
      method: 'GET',
      url: '/api/events?access_token=[redacted]&last_event_id=4',
      remoteAddress: '127.0.0.1',
      clientIp: '203.0.113.9',
      userAgent: 'facebookexternalua',
    });
    expect(JSON.stringify(logged)).not.toMatch(/secret|eyJ|sha256|invite-token/);
  });

  it('redacts an invite token in the path', () => {
    expect(serializeRequest({ url: '/api/invites/n3VQ9k0aQwOq6n0x/accept' }).url).toBe(
      '/api/invites/[redacted]/accept',
    );
  });

  it('logs only the status of a response', () => {
    expect(serializeResponse({ statusCode: 201, ...{ headers: { 'set-cookie': 'x' } } })).toEqual({
      statusCode: 201,
    });
  });
});
