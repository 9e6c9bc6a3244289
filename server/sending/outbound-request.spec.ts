import { describe, expect, it } from '@jest/globals';
import { buildOutbound } from './outbound-request.js';

const to = '15550001234';

describe('buildOutbound', () => {
  it('builds a text send with a link preview only when the text has a link', () => {
    const plain = buildOutbound('text', { text: 'Hello' }, to, {});
    expect(plain.request).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to,
      type: 'text',
      text: { body: 'Hello', preview_url: false },
    });
    expect(plain).toMatchObject({
      messageType: 'text',
      content: 'Hello',
      replyToWaMessageId: null,
    });
    expect(buildOutbound('text', { text: 'See https://example.com' }, to, {}).request.text).toEqual(
      {
        body: 'See https://example.com',
        preview_url: true,
      },
    );
  });

  it('quotes the replied-to message in context', () => {
    const out = buildOutbound('text', { text: 'Yes' }, to, { replyTo: 'wamid.A' });
    expect(out.request.context).toEqual({ message_id: 'wamid.A' });
    expect(out.replyToWaMessageId).toBe('wamid.A');
  });

  it('builds a template send and a readable content with its text parameters', () => {
    const components = [{ type: 'body', parameters: [{ type: 'text', text: '#10042' }] }];
    const out = buildOutbound(
      'template',
      { template: { name: 'order_update', language: 'en_US', components } },
      to,
      {},
    );
    expect(out.request).toMatchObject({
      type: 'template',
      template: { name: 'order_update', language: { code: 'en_US' }, components },
    });
    expect(out.content).toBe('Template order_update (en_US): #10042');
    expect(
      buildOutbound('template', { template: { name: 'hello_world', language: 'en_US' } }, to, {})
        .request.template,
    ).toEqual({
      name: 'hello_world',
      language: { code: 'en_US' },
    });
  });

  it('builds media by id or by link', () => {
    const byId = buildOutbound(
      'media',
      { media: { type: 'image', id: '123', caption: 'Look' } },
      to,
      {},
    );
    expect(byId.request).toMatchObject({ type: 'image', image: { id: '123', caption: 'Look' } });
    expect(byId).toMatchObject({
      messageType: 'image',
      content: 'Look',
      mediaId: '123',
      mediaUrl: null,
    });
    const byLink = buildOutbound(
      'media',
      { media: { type: 'document', link: 'https://x.test/a.pdf', filename: 'a.pdf' } },
      to,
      {},
    );
    expect(byLink.request).toMatchObject({
      type: 'document',
      document: { link: 'https://x.test/a.pdf', filename: 'a.pdf' },
    });
    expect(byLink).toMatchObject({
      content: 'a.pdf',
      fileName: 'a.pdf',
      mediaUrl: 'https://x.test/a.pdf',
    });
  });

  it('builds a reaction to the target wamid, without context', () => {
    const out = buildOutbound('reaction', { reaction: { message_id: 5, emoji: '👍' } }, to, {
      reactTo: 'wamid.B',
    });
    expect(out.request).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to,
      type: 'reaction',
      reaction: { message_id: 'wamid.B', emoji: '👍' },
    });
    expect(out).toMatchObject({
      messageType: 'reaction',
      content: '👍',
      replyToWaMessageId: 'wamid.B',
    });
  });
});
