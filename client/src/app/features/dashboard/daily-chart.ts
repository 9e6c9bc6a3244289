import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

import { DailyStat } from './dashboard.model';

export interface ChartGeometry {
  readonly width: number;
  readonly height: number;
  /** Room for the y-axis labels. */
  readonly left: number;
  readonly right: number;
  readonly top: number;
  /** Room for the date labels. */
  readonly bottom: number;
}

export interface ChartBar {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly value: number;
}

export interface ChartDay {
  readonly date: string;
  readonly label: string;
  readonly showLabel: boolean;
  readonly labelX: number;
  readonly inbound: ChartBar;
  readonly outbound: ChartBar;
}

export interface ChartModel {
  readonly days: ChartDay[];
  /** The value at the top of the plot (a round number at or above the largest bar). */
  readonly max: number;
  readonly baseline: number;
  readonly gridLines: { readonly y: number; readonly value: number }[];
  readonly totalInbound: number;
  readonly totalOutbound: number;
}

export const DEFAULT_GEOMETRY: ChartGeometry = {
  width: 320,
  height: 150,
  left: 28,
  right: 16,
  top: 8,
  bottom: 20,
};

/** At most this many date labels fit under the bars on a phone. */
const MAX_LABELS = 7;

/**
 * Maps daily counts to SVG bar geometry: a pair of bars (inbound, outbound) per day,
 * scaled to a round maximum so the grid lines carry readable values.
 */
export function toChartModel(
  days: readonly DailyStat[],
  geometry: ChartGeometry = DEFAULT_GEOMETRY,
): ChartModel {
  const plotWidth = geometry.width - geometry.left - geometry.right;
  const plotHeight = geometry.height - geometry.top - geometry.bottom;
  const baseline = geometry.top + plotHeight;
  const largest = days.reduce((m, d) => Math.max(m, d.inbound, d.outbound), 0);
  const max = niceCeiling(largest);
  const slot = days.length > 0 ? plotWidth / days.length : plotWidth;
  const barWidth = (slot * 0.8) / 2;
  const labelEvery = Math.max(1, Math.ceil(days.length / MAX_LABELS));

  const bar = (x: number, value: number): ChartBar => {
    const height = round((Math.max(0, value) / max) * plotHeight);
    return { x: round(x), y: round(baseline - height), width: round(barWidth), height, value };
  };

  const mapped = days.map((day, i): ChartDay => {
    const start = geometry.left + i * slot + slot * 0.1;
    return {
      date: day.date,
      label: formatDay(day.date),
      // The newest day is always labelled; the others at a steady step back from it.
      showLabel: (days.length - 1 - i) % labelEvery === 0,
      labelX: round(geometry.left + i * slot + slot / 2),
      inbound: bar(start, day.inbound),
      outbound: bar(start + barWidth, day.outbound),
    };
  });

  return {
    days: mapped,
    max,
    baseline: round(baseline),
    gridLines: [0, 0.5, 1].map((f) => ({
      y: round(baseline - f * plotHeight),
      value: Math.round(f * max * 10) / 10,
    })),
    totalInbound: days.reduce((sum, d) => sum + d.inbound, 0),
    totalOutbound: days.reduce((sum, d) => sum + d.outbound, 0),
  };
}

/** 1, 2 or 5 times a power of ten, at or above `value` (never below 1). */
export function niceCeiling(value: number): number {
  if (value <= 1) {
    return 1;
  }
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const fraction = value / magnitude;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * magnitude;
}

/** "Nov 24" for a UTC date "2026-11-24" (the server's days are UTC). */
function formatDay(date: string): string {
  const time = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(time)
    ? date
    : new Date(time).toLocaleDateString('en-US', {
        month: 'short',
        day: 'numeric',
        timeZone: 'UTC',
      });
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Inbound vs outbound messages per day, drawn by hand in SVG (no chart library). */
@Component({
  selector: 'nl-daily-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <figure>
      <svg
        class="h-auto w-full"
        [attr.viewBox]="'0 0 ' + geometry.width + ' ' + geometry.height"
        role="img"
        [attr.aria-label]="summary()"
      >
        @for (line of model().gridLines; track line.value) {
          <line
            [attr.x1]="geometry.left"
            [attr.x2]="geometry.width - geometry.right"
            [attr.y1]="line.y"
            [attr.y2]="line.y"
            class="stroke-gray-200 dark:stroke-gray-700"
            stroke-width="1"
          />
          <text
            [attr.x]="geometry.left - 4"
            [attr.y]="line.y + 3"
            text-anchor="end"
            class="fill-gray-500 text-[10px] dark:fill-gray-400"
          >
            {{ line.value }}
          </text>
        }
        @for (day of model().days; track day.date) {
          <g>
            <title>
              {{ day.label }}: {{ day.inbound.value }} inbound, {{ day.outbound.value }} outbound
            </title>
            <rect
              [attr.x]="day.inbound.x"
              [attr.y]="day.inbound.y"
              [attr.width]="day.inbound.width"
              [attr.height]="day.inbound.height"
              rx="1"
              class="fill-indigo-500 dark:fill-indigo-400"
            />
            <rect
              [attr.x]="day.outbound.x"
              [attr.y]="day.outbound.y"
              [attr.width]="day.outbound.width"
              [attr.height]="day.outbound.height"
              rx="1"
              class="fill-emerald-500 dark:fill-emerald-400"
            />
            @if (day.showLabel) {
              <text
                [attr.x]="day.labelX"
                [attr.y]="geometry.height - 6"
                text-anchor="middle"
                class="fill-gray-500 text-[10px] dark:fill-gray-400"
              >
                {{ day.label }}
              </text>
            }
          </g>
        }
      </svg>
      <figcaption class="mt-2 flex flex-wrap gap-4 text-xs text-gray-600 dark:text-gray-300">
        <span class="inline-flex items-center gap-1.5">
          <span
            class="h-2.5 w-2.5 rounded-sm bg-indigo-500 dark:bg-indigo-400"
            aria-hidden="true"
          ></span>
          Inbound ({{ model().totalInbound }})
        </span>
        <span class="inline-flex items-center gap-1.5">
          <span
            class="h-2.5 w-2.5 rounded-sm bg-emerald-500 dark:bg-emerald-400"
            aria-hidden="true"
          ></span>
          Outbound ({{ model().totalOutbound }})
        </span>
        <span class="ml-auto">Last {{ model().days.length }} days (UTC)</span>
      </figcaption>
    </figure>
  `,
})
export class DailyChart {
  readonly days = input.required<readonly DailyStat[]>();

  protected readonly geometry = DEFAULT_GEOMETRY;
  protected readonly model = computed(() => toChartModel(this.days(), this.geometry));
  protected readonly summary = computed(() => {
    const m = this.model();
    return `Messages per day over the last ${m.days.length} days: ${m.totalInbound} inbound, ${m.totalOutbound} outbound.`;
  });
}
