import { ChangeDetectionStrategy, Component } from '@angular/core';

/** Shown beside the list until a conversation is opened. */
@Component({
  selector: 'nl-no-conversation',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="flex h-full flex-col items-center justify-center gap-2 p-6 text-center">
      <p class="text-lg font-semibold text-gray-900 dark:text-white">Select a conversation</p>
      <p class="max-w-sm text-sm text-gray-600 dark:text-gray-300">
        Pick a conversation on the left to read it and reply.
      </p>
    </div>
  `,
  host: { class: 'block h-full' },
})
export class NoConversation {}
