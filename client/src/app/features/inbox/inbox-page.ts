import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterOutlet } from '@angular/router';

import { ConversationList } from './conversation-list';
import { InboxStore } from './inbox-store';

/**
 * `/inbox`: the conversation list beside the routed thread. On phones one of the two
 * fills the screen: the list at `/inbox`, the thread at `/inbox/:id`.
 */
@Component({
  selector: 'nl-inbox-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet, ConversationList],
  template: `
    <div class="flex h-full min-h-0">
      <aside
        aria-label="Conversations"
        class="w-full shrink-0 border-r border-gray-200 bg-white md:flex md:w-80 lg:w-96 dark:border-gray-800 dark:bg-gray-900"
        [class.hidden]="hasSelection()"
        [class.flex]="!hasSelection()"
      >
        <nl-conversation-list class="w-full" />
      </aside>
      <section
        aria-label="Conversation"
        class="min-w-0 flex-1 md:flex md:flex-col"
        [class.hidden]="!hasSelection()"
        [class.flex]="hasSelection()"
        [class.flex-col]="hasSelection()"
      >
        <router-outlet />
      </section>
    </div>
  `,
  host: { class: 'block h-full' },
})
export class InboxPage {
  private readonly store = inject(InboxStore);
  protected readonly hasSelection = computed(() => this.store.selectedId() !== null);

  constructor() {
    // Always refresh on entry; what is already loaded stays visible meanwhile.
    this.store.loadConversations();
    this.store.loadMembers();
  }
}
