import { ChangeDetectionStrategy, Component } from '@angular/core';

/** The "No Lose" wordmark. Wrap it in a link where it should navigate. */
@Component({
  selector: 'nl-logo',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'inline-flex items-center gap-2' },
  template: `
    <svg class="h-8 w-8 shrink-0" viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="8" class="fill-indigo-600 dark:fill-indigo-500" />
      <path d="M9 22V10h3l8 8v-8h3v12h-3l-8-8v8z" fill="#fff" />
    </svg>
    <span class="text-lg font-bold tracking-tight text-gray-900 dark:text-white">No Lose</span>
  `,
})
export class Logo {}
