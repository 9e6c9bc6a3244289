import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import { getButton, getByLabel, typeInto } from '../../../testing/dom-queries';
import { Composer } from './composer';
import { InboxStore } from './inbox-store';
import { MessageTemplate, SendOutcome, TemplatesState } from './inbox.model';

describe(Composer.name, () => {
  function render(window: 'open' | 'closed' = 'open') {
    const store = {
      templates: signal<TemplatesState>({ status: 'idle' }),
      sendText: vi.fn<(id: number, text: string) => Promise<SendOutcome>>(() =>
        Promise.resolve({ kind: 'sent' }),
      ),
      sendTemplate: vi.fn<(id: number, t: MessageTemplate) => Promise<SendOutcome>>(() =>
        Promise.resolve({ kind: 'sent' }),
      ),
      loadTemplates: vi.fn(),
      drafts: new Map<number, string>(),
      takeDraft(id: number): string {
        const draft = this.drafts.get(id) ?? '';
        this.drafts.delete(id);
        return draft;
      },
      saveDraft(id: number, text: string): void {
        this.drafts.set(id, text);
      },
    };
    TestBed.configureTestingModule({
      imports: [Composer],
      providers: [{ provide: InboxStore, useValue: store }],
    });
    const fixture = TestBed.createComponent(Composer);
    fixture.componentRef.setInput('conversationId', 7);
    fixture.componentRef.setInput('window', window);
    return { fixture, store, root: fixture.nativeElement as HTMLElement };
  }

  function press(target: HTMLElement, init: KeyboardEventInit): KeyboardEvent {
    const event = new KeyboardEvent('keydown', {
      key: 'Enter',
      bubbles: true,
      cancelable: true,
      ...init,
    });
    target.dispatchEvent(event);
    return event;
  }

  it('sends on Enter and clears the box', async () => {
    const { fixture, store, root } = render();
    await fixture.whenStable();
    const box = getByLabel<HTMLTextAreaElement>(root, 'Message');
    typeInto(box, '  Hello!  ');
    const event = press(box, {});
    expect(event.defaultPrevented).toBe(true);
    expect(store.sendText).toHaveBeenCalledWith(7, 'Hello!');
    expect(box.value).toBe('');
  });

  it('keeps Shift+Enter for a new line', async () => {
    const { fixture, store, root } = render();
    await fixture.whenStable();
    const box = getByLabel<HTMLTextAreaElement>(root, 'Message');
    typeInto(box, 'line one');
    const event = press(box, { shiftKey: true });
    expect(event.defaultPrevented).toBe(false);
    expect(store.sendText).not.toHaveBeenCalled();
  });

  it('sends with the Send button without submitting the page', async () => {
    const { fixture, store, root } = render();
    await fixture.whenStable();
    typeInto(getByLabel<HTMLTextAreaElement>(root, 'Message'), 'Clicked');
    await fixture.whenStable();
    const form = root.querySelector('form')!;
    const submit = new Event('submit', { cancelable: true });
    form.dispatchEvent(submit);
    expect(submit.defaultPrevented).toBe(true);
    expect(store.sendText).toHaveBeenCalledWith(7, 'Clicked');
  });

  it('keeps the draft when the server says the 24-hour window is closed', async () => {
    const { fixture, store, root } = render();
    store.sendText.mockResolvedValue({ kind: 'window-closed', message: 'closed' });
    await fixture.whenStable();
    const box = getByLabel<HTMLTextAreaElement>(root, 'Message');
    typeInto(box, 'Late reply');
    press(box, {});
    await vi.waitFor(() => expect(box.value).toBe('Late reply'));
  });

  it("keeps each conversation's draft to itself", async () => {
    const { fixture, root } = render();
    await fixture.whenStable();
    const box = getByLabel<HTMLTextAreaElement>(root, 'Message');
    typeInto(box, 'for seven');
    fixture.componentRef.setInput('conversationId', 8);
    await fixture.whenStable();
    expect(box.value).toBe('');
    fixture.componentRef.setInput('conversationId', 7);
    await fixture.whenStable();
    expect(box.value).toBe('for seven');
  });

  it('offers approved templates when the window is closed', async () => {
    const { fixture, store, root } = render('closed');
    await fixture.whenStable();
    expect(store.loadTemplates).toHaveBeenCalled();
    expect(root.textContent).toContain('The 24-hour reply window is closed');

    const hello: MessageTemplate = { name: 'hello_world', language: 'en_US', status: 'APPROVED' };
    store.templates.set({ status: 'ready', data: [hello] });
    await fixture.whenStable();
    expect(getByLabel<HTMLSelectElement>(root, 'Template').value).toBe('hello_world|en_US');
    getButton(root, 'Send template').click();
    await fixture.whenStable();
    expect(store.sendTemplate).toHaveBeenCalledWith(7, hello);
  });
});
