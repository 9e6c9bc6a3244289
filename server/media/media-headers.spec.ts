import { describe, expect, it } from '@jest/globals';
import { mediaHeaders } from './media-headers.js';

const file = { messageId: 7, sha256: 'ab'.repeat(32), fileSize: 3 };

describe('mediaHeaders', () => {
  it('shows images inline with a made-up name when the customer sent none', () => {
    const h = mediaHeaders({ ...file, mimeType: 'image/jpeg', fileName: null });
    expect(h['Content-Type']).toBe('image/jpeg');
    expect(h['Content-Disposition']).toBe(
      `inline; filename="message-7.jpg"; filename*=UTF-8''message-7.jpg`,
    );
  });

  it('offers documents as downloads under their own name, UTF-8 included', () => {
    const h = mediaHeaders({ ...file, mimeType: 'application/pdf', fileName: 'Fatura nº 12.pdf' });
    expect(h['Content-Disposition']).toBe(
      `attachment; filename="Fatura n_ 12.pdf"; filename*=UTF-8''Fatura%20n%C2%BA%2012.pdf`,
    );
  });

  it('never lets a browser run a file in our origin', () => {
    const h = mediaHeaders({ ...file, mimeType: 'image/svg+xml', fileName: 'x".svg' });
    expect(h['Content-Disposition']).toMatch(/^attachment; filename="x_.svg"/);
    expect(h['Content-Security-Policy']).toContain('sandbox');
    expect(h['X-Content-Type-Options']).toBe('nosniff');
  });

  it('keeps audio inline whatever its codec parameter', () => {
    expect(
      mediaHeaders({ ...file, mimeType: 'audio/ogg; codecs=opus', fileName: null })[
        'Content-Disposition'
      ],
    ).toMatch(/^inline; filename="message-7.ogg"/);
  });
});
