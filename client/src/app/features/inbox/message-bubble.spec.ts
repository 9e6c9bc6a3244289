import { TestBed } from '@angular/core/testing';

import { normalize, spokenText } from '../../../testing/dom-queries';
import { ThreadMessage } from './inbox.model';
import { MessageBubble } from './message-bubble';

const REPLY: ThreadMessage = {
  id: 101,
  wa_message_id: 'wamid.101',
  contact_id: 70,
  type: 'text',
  content: 'On its way',
  is_outbound: true,
  status: 'read',
  timestamp: '2026-11-24T04:02:00Z',
  conversation_id: 7,
  sent_by_user_id: 2,
  client_key: 'm101',
};

describe(MessageBubble.name, () => {
  async function render(sender: string | null): Promise<HTMLElement> {
    const fixture = TestBed.createComponent(MessageBubble);
    fixture.componentRef.setInput('message', REPLY);
    fixture.componentRef.setInput('contactName', 'Ana');
    fixture.componentRef.setInput('sender', sender);
    await fixture.whenStable();
    return fixture.nativeElement as HTMLElement;
  }

  /** The line with the time and ticks, as a sighted operator reads it. */
  function metaLine(root: HTMLElement): Element[] {
    return Array.from(root.querySelector('time')!.parentElement!.children).filter(
      (e) => !e.classList.contains('sr-only'),
    );
  }

  it("puts the teammate's name before the time, and says it first to screen readers", async () => {
    const root = await render('Tia Assignee');
    const line = metaLine(root);
    expect(line.map((e) => e.tagName.toLowerCase())).toEqual(['span', 'span', 'time', 'span']);
    expect(normalize(line[0].textContent)).toBe('Tia Assignee');
    // Long names are cut short on narrow screens; the full name stays on hover.
    expect(line[0].getAttribute('title')).toBe('Tia Assignee');
    expect(normalize(line[1].textContent)).toBe('·');
    expect(normalize(line[3].textContent)).toBe('✓✓');
    expect(spokenText(root)).toMatch(/^Tia Assignee: On its way .+ Read$/);
  });

  it('shows only the time and ticks without a sender', async () => {
    const root = await render(null);
    expect(metaLine(root).map((e) => e.tagName.toLowerCase())).toEqual(['time', 'span']);
    expect(spokenText(root)).toMatch(/^You: On its way .+ Read$/);
  });

  it("names the teammate who sent the quoted message, and 'You' for the operator's own", async () => {
    const fixture = TestBed.createComponent(MessageBubble);
    const quoting: ThreadMessage = {
      ...REPLY,
      id: 102,
      client_key: 'm102',
      is_outbound: false,
      content: 'Thanks! When exactly?',
      reply_to_wa_message_id: REPLY.wa_message_id,
    };
    fixture.componentRef.setInput('message', quoting);
    fixture.componentRef.setInput('quoted', REPLY);
    fixture.componentRef.setInput('contactName', 'Ana');
    fixture.componentRef.setInput('quotedSender', 'Tia Assignee');
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    expect(spokenText(root)).toMatch(/^Ana: In reply to: Tia Assignee On its way Thanks!/);

    fixture.componentRef.setInput('quotedSender', null);
    await fixture.whenStable();
    expect(spokenText(root)).toMatch(/^Ana: In reply to: You On its way Thanks!/);
  });
});
