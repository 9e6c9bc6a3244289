import { TestBed } from '@angular/core/testing';

import { DEFAULT_GEOMETRY, DailyChart, niceCeiling, toChartModel } from './daily-chart';
import { DailyStat } from './dashboard.model';

const DAYS: DailyStat[] = [
  { date: '2026-11-22', inbound: 2, outbound: 1 },
  { date: '2026-11-23', inbound: 0, outbound: 0 },
  { date: '2026-11-24', inbound: 4, outbound: 3 },
];

describe('toChartModel', () => {
  const g = DEFAULT_GEOMETRY;
  const plotHeight = g.height - g.top - g.bottom;
  const baseline = g.top + plotHeight;

  it('scales bars to a round maximum and stands them on the baseline', () => {
    const model = toChartModel(DAYS);
    expect(model.max).toBe(5);
    expect(model.baseline).toBe(baseline);

    const last = model.days[2];
    expect(last.inbound.value).toBe(4);
    expect(last.inbound.height).toBeCloseTo((4 / 5) * plotHeight, 1);
    expect(last.inbound.y + last.inbound.height).toBeCloseTo(baseline, 1);
    expect(last.outbound.height).toBeCloseTo((3 / 5) * plotHeight, 1);
  });

  it('keeps every day, including empty ones, in date order from left to right', () => {
    const model = toChartModel(DAYS);
    expect(model.days.map((d) => d.date)).toEqual(DAYS.map((d) => d.date));
    expect(model.days[1].inbound.height).toBe(0);
    expect(model.days[1].outbound.y).toBe(baseline);
    const xs = model.days.map((d) => d.inbound.x);
    expect(xs[0]).toBeGreaterThanOrEqual(g.left);
    expect(xs[1]).toBeGreaterThan(xs[0]);
    expect(xs[2]).toBeGreaterThan(xs[1]);
    // The outbound bar sits right of its inbound bar, inside the plot.
    const last = model.days[2];
    expect(last.outbound.x).toBeCloseTo(last.inbound.x + last.inbound.width, 1);
    expect(last.outbound.x + last.outbound.width).toBeLessThanOrEqual(g.width - g.right);
  });

  it('sums the totals and labels UTC dates', () => {
    const model = toChartModel(DAYS);
    expect(model.totalInbound).toBe(6);
    expect(model.totalOutbound).toBe(4);
    expect(model.days[2].label).toBe('Nov 24');
    expect(model.gridLines.map((l) => l.value)).toEqual([0, 2.5, 5]);
  });

  it('labels at most 7 of 14 days, always the newest', () => {
    const days = Array.from({ length: 14 }, (_, i) => ({
      date: `2026-11-${String(i + 11).padStart(2, '0')}`,
      inbound: i,
      outbound: 0,
    }));
    const model = toChartModel(days);
    const labelled = model.days.filter((d) => d.showLabel);
    expect(labelled.length).toBe(7);
    expect(model.days[13].showLabel).toBe(true);
  });

  it('draws flat bars for an all-zero series without dividing by zero', () => {
    const model = toChartModel([{ date: '2026-11-24', inbound: 0, outbound: 0 }]);
    expect(model.max).toBe(1);
    expect(model.days[0].inbound.height).toBe(0);
  });
});

describe('niceCeiling', () => {
  it('rounds up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 1, 2, 3, 7, 10, 11, 48, 120].map(niceCeiling)).toEqual([
      1, 1, 2, 5, 10, 10, 20, 50, 200,
    ]);
  });
});

describe(DailyChart.name, () => {
  it('renders two bars per day with an accessible summary', async () => {
    const fixture = TestBed.createComponent(DailyChart);
    fixture.componentRef.setInput('days', DAYS);
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;
    expect(root.querySelectorAll('rect').length).toBe(6);
    expect(root.querySelector('svg')?.getAttribute('aria-label')).toContain(
      '6 inbound, 4 outbound',
    );
  });
});
