import { describe, expect, it } from '@jest/globals';
import { redactUrl } from './redact-url.js';

describe('redactUrl', () => {
  it('redacts credentials in the query string and keeps the rest', () => {
    expect(redactUrl('/api/events?access_token=eyJ.a.b&last_event_id=4')).toBe(
      '/api/events?access_token=[redacted]&last_event_id=4',
    );
    expect(
      redactUrl('/api/webhook?hub.mode=subscribe&hub.verify_token=s3cret&hub.challenge=1'),
    ).toBe('/api/webhook?hub.mode=subscribe&hub.verify_token=[redacted]&hub.challenge=1');
    expect(redactUrl('/api/conversations?q=token')).toBe('/api/conversations?q=token');
  });

  it('redacts invite tokens in paths', () => {
    expect(redactUrl('/api/invites/n3VQ9k0aQwOq6n0x/accept')).toBe(
      '/api/invites/[redacted]/accept',
    );
    expect(redactUrl('/api/invites/n3VQ9k0aQwOq6n0x')).toBe('/api/invites/[redacted]');
    expect(redactUrl('/invite/n3VQ9k0aQwOq6n0x?x=1')).toBe('/invite/[redacted]?x=1');
    // Invites managed by id keep their id.
    expect(redactUrl('/api/workspace/invites/12')).toBe('/api/workspace/invites/12');
  });
});
