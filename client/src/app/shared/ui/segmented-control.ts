import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';

export interface Segment<T extends string> {
  readonly value: T;
  readonly label: string;
}

/**
 * One choice of a few, shown side by side: a radio group (arrow keys move the choice, the
 * legend names it for screen readers) styled as segments.
 */
@Component({
  selector: 'nl-segmented-control',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
  template: `
    <fieldset>
      <legend class="sr-only">{{ legend() }}</legend>
      <div
        class="grid auto-cols-fr grid-flow-col gap-1 rounded-lg bg-gray-100 p-1 dark:bg-gray-800"
      >
        @for (option of options(); track option.value) {
          <label class="relative">
            <input
              type="radio"
              class="peer sr-only"
              [name]="name()"
              [value]="option.value"
              [checked]="value() === option.value"
              (change)="changed.emit(option.value)"
            />
            <span
              class="block cursor-pointer rounded-md px-2 py-1.5 text-center text-sm font-medium text-gray-600 peer-checked:bg-white peer-checked:text-gray-900 peer-checked:shadow-sm peer-focus-visible:ring-2 peer-focus-visible:ring-indigo-500 dark:text-gray-300 dark:peer-checked:bg-gray-950 dark:peer-checked:text-white"
              >{{ option.label }}</span
            >
          </label>
        }
      </div>
    </fieldset>
  `,
})
export class SegmentedControl<T extends string> {
  /** What the choice is about (read by screen readers). */
  readonly legend = input.required<string>();
  /** The radio group's name: unique on the page. */
  readonly name = input.required<string>();
  readonly options = input.required<readonly Segment<T>[]>();
  readonly value = input.required<T>();
  readonly changed = output<T>();
}
