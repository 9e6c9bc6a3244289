import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/** An accessible busy indicator: a live status region with a visually hidden label. */
@Component({
  selector: 'nl-spinner',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { role: 'status', class: 'inline-flex items-center gap-2' },
  template: `
    <svg
      class="animate-spin text-indigo-600 dark:text-indigo-400"
      [class]="sizeClass()"
      viewBox="0 0 24 24"
      fill="none"
      aria-hidden="true"
    >
      <circle class="opacity-25" cx="12" cy="12" r="10" stroke="currentColor" stroke-width="4" />
      <path class="opacity-75" fill="currentColor" d="M4 12a8 8 0 0 1 8-8v4a4 4 0 0 0-4 4H4z" />
    </svg>
    @if (showLabel()) {
      <span class="text-sm text-gray-600 dark:text-gray-300">{{ label() }}</span>
    } @else {
      <span class="sr-only">{{ label() }}</span>
    }
  `,
})
export class Spinner {
  readonly label = input('Loading…');
  readonly showLabel = input(false);
  readonly size = input<'sm' | 'md' | 'lg'>('md');

  protected sizeClass(): string {
    switch (this.size()) {
      case 'sm':
        return 'h-4 w-4';
      case 'md':
        return 'h-6 w-6';
      case 'lg':
        return 'h-10 w-10';
    }
  }
}
