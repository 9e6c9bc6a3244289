import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';

/** An error message with a Retry button, for cards and panes whose load failed. */
@Component({
  selector: 'nl-error-state',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div
      role="alert"
      class="flex flex-col items-start gap-3 rounded-lg border border-red-200 bg-red-50 p-3 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200"
    >
      <p>{{ message() }}</p>
      <button
        type="button"
        class="rounded-md bg-white px-3 py-1.5 text-sm font-medium text-red-800 shadow-sm ring-1 ring-red-300 hover:bg-red-100 dark:bg-red-900 dark:text-red-100 dark:ring-red-700 dark:hover:bg-red-800"
        (click)="retry.emit()"
      >
        {{ retryLabel() }}
      </button>
    </div>
  `,
})
export class ErrorState {
  readonly message = input.required<string>();
  readonly retryLabel = input('Retry');
  readonly retry = output();
}
