import { CdkVirtualScrollViewport, VirtualScrollStrategy } from '@angular/cdk/scrolling';
import { Injector, afterNextRender, signal } from '@angular/core';
import { Subject, distinctUntilChanged } from 'rxjs';

/** Estimated heights until a row has been measured. */
const ESTIMATED_DAY_ROW = 44;
const ESTIMATED_MESSAGE_ROW = 76;
/** Rendered beyond each edge of the viewport, so fast scrolling rarely shows a gap. */
const BUFFER_PX = 900;
/** Closer than this to the end counts as "at the bottom": new messages keep it there. */
const BOTTOM_SLACK_PX = 48;
/** Closer than this to the start asks for the previous page. */
const NEAR_TOP_PX = 1_200;

type PendingScroll =
  | { readonly kind: 'bottom' }
  | { readonly kind: 'anchor'; readonly key: string; readonly delta: number };

/**
 * Virtual scrolling for a chat thread, whose rows have different heights (a one-word
 * text, a photo, a long quote). The CDK ships only a fixed-size strategy (its autosize
 * strategy lives in @angular/cdk-experimental), so this one keeps a height per row key:
 * estimated at first, measured once rendered.
 *
 * Chat-specific behaviour: it starts at the bottom and stays there while the operator is
 * at the bottom; when older pages are prepended or rows resize above the viewport, the
 * first visible row keeps its place on screen.
 *
 * The component calls {@link setKeys} with the row keys whenever the rows change (before
 * they render) and marks each row element with `data-row-key`.
 */
export class ThreadScrollStrategy implements VirtualScrollStrategy {
  private readonly indexChanges = new Subject<number>();
  readonly scrolledIndexChange = this.indexChanges.pipe(distinctUntilChanged());

  /**
   * Emits whenever the operator is near the top, not only when that changes: the owner
   * asks for the previous page each time (a no-op while one is loading), so a failed
   * anchor or a short page can never leave the thread stuck without older messages.
   */
  readonly nearTop = new Subject<void>();

  private readonly atBottomState = signal(true);
  /** False once the operator scrolls up; the page offers "Jump to latest" then. */
  readonly atBottom = this.atBottomState.asReadonly();

  private viewport: CdkVirtualScrollViewport | null = null;
  private keys: readonly string[] = [];
  private readonly indexByKey = new Map<string, number>();
  private readonly sizes = new Map<string, number>();
  private layout = new RowLayout([]);
  private pendingScroll: PendingScroll | null = { kind: 'bottom' };
  private scrollScheduled = false;
  /** Rows also change height after rendering: images load, a status line appears. */
  private resizeObserver: ResizeObserver | null = null;

  constructor(private readonly injector: Injector) {}

  attach(viewport: CdkVirtualScrollViewport): void {
    this.viewport = viewport;
    this.observeContent(viewport);
    this.applyLayout();
    this.updateRenderedRange();
    this.scheduleScroll();
  }

  detach(): void {
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
    this.viewport = null;
  }

  /** Called by the owning component when it is destroyed. */
  dispose(): void {
    this.detach();
    this.indexChanges.complete();
    this.nearTop.complete();
  }

  /** New rows (a page loaded, a message arrived, another conversation opened). */
  setKeys(keys: readonly string[]): void {
    if (this.viewport && !this.pendingScroll) {
      this.pendingScroll = this.atBottomState() ? { kind: 'bottom' } : this.captureAnchor();
    }
    this.keys = keys;
    this.indexByKey.clear();
    keys.forEach((key, i) => this.indexByKey.set(key, i));
    this.recompute();
    if (this.viewport) {
      this.applyLayout();
      this.updateRenderedRange();
      this.scheduleScroll();
    }
  }

  /** Another conversation: start again at its newest message. */
  reset(): void {
    this.pendingScroll = { kind: 'bottom' };
    this.atBottomState.set(true);
  }

  scrollToBottom(): void {
    this.pendingScroll = { kind: 'bottom' };
    this.atBottomState.set(true);
    this.scheduleScroll();
  }

  onContentScrolled(): void {
    if (!this.viewport) {
      return;
    }
    if (!this.pendingScroll) {
      this.atBottomState.set(this.distanceFromBottom() <= BOTTOM_SLACK_PX);
    }
    this.updateRenderedRange();
  }

  onDataLengthChanged(): void {
    this.applyLayout();
    this.updateRenderedRange();
  }

  onContentRendered(): void {
    this.measureRenderedRows();
  }

  /** Measures the rows now in the DOM and corrects the layout where estimates were off. */
  private measureRenderedRows(): void {
    const viewport = this.viewport;
    if (!viewport) {
      return;
    }
    const scrollTop = viewport.measureScrollOffset();
    const firstVisible = this.layout.indexAt(scrollTop);
    let changed = false;
    let shiftAbove = 0;
    const rows = viewport.elementRef.nativeElement.querySelectorAll<HTMLElement>('[data-row-key]');
    rows.forEach((row) => {
      const key = row.dataset['rowKey'];
      const height = row.offsetHeight;
      if (!key || height === 0) {
        return; // jsdom and detached rows report 0: keep the estimate.
      }
      const previous = this.sizeOf(key);
      if (Math.abs(previous - height) > 0.5) {
        this.sizes.set(key, height);
        changed = true;
        const index = this.indexByKey.get(key);
        if (index !== undefined && index < firstVisible) {
          shiftAbove += height - previous;
        }
      }
    });
    if (!changed) {
      return;
    }
    this.recompute();
    this.applyLayout();
    if (!this.pendingScroll) {
      if (this.atBottomState()) {
        this.pendingScroll = { kind: 'bottom' };
      } else if (shiftAbove !== 0) {
        viewport.scrollToOffset(scrollTop + shiftAbove);
      }
    }
    this.updateRenderedRange();
    this.scheduleScroll();
  }

  onRenderedOffsetChanged(): void {
    // The offset is always derived from the layout; nothing to correct.
  }

  scrollToIndex(index: number, behavior: ScrollBehavior): void {
    this.viewport?.scrollToOffset(this.layout.offsetOf(index), behavior);
  }

  private observeContent(viewport: CdkVirtualScrollViewport): void {
    if (typeof ResizeObserver === 'undefined') {
      return; // jsdom
    }
    const content = viewport.elementRef.nativeElement.querySelector(
      '.cdk-virtual-scroll-content-wrapper',
    );
    if (content) {
      this.resizeObserver = new ResizeObserver(() => this.measureRenderedRows());
      this.resizeObserver.observe(content);
    }
  }

  private sizeOf(key: string): number {
    return (
      this.sizes.get(key) ?? (key.startsWith('day-') ? ESTIMATED_DAY_ROW : ESTIMATED_MESSAGE_ROW)
    );
  }

  private recompute(): void {
    this.layout = new RowLayout(this.keys.map((key) => this.sizeOf(key)));
  }

  private applyLayout(): void {
    this.viewport?.setTotalContentSize(this.layout.total);
  }

  private updateRenderedRange(): void {
    const viewport = this.viewport;
    if (!viewport) {
      return;
    }
    const count = this.keys.length;
    if (count === 0) {
      viewport.setRenderedRange({ start: 0, end: 0 });
      viewport.setRenderedContentOffset(0);
      return;
    }
    const scrollTop = viewport.measureScrollOffset();
    const height = viewport.getViewportSize();
    const start = this.layout.indexAt(Math.max(0, scrollTop - BUFFER_PX));
    const end = Math.min(count, this.layout.indexAt(scrollTop + height + BUFFER_PX) + 1);
    viewport.setRenderedRange({ start, end });
    viewport.setRenderedContentOffset(this.layout.offsetOf(start));
    // While a programmatic scroll is pending the position is meaningless (e.g. the top of
    // a thread about to jump to its bottom) and must not trigger loading older pages.
    if (!this.pendingScroll) {
      this.indexChanges.next(this.layout.indexAt(scrollTop));
      if (scrollTop < NEAR_TOP_PX) {
        this.nearTop.next();
      }
    }
  }

  private captureAnchor(): PendingScroll | null {
    const viewport = this.viewport;
    if (!viewport || this.keys.length === 0) {
      return null;
    }
    const scrollTop = viewport.measureScrollOffset();
    let index = this.layout.indexAt(scrollTop);
    // Day separators move when an older page adds messages of the same day; anchor to
    // the first message row instead.
    while (index < this.keys.length - 1 && this.keys[index].startsWith('day-')) {
      index += 1;
    }
    const key = this.keys[index];
    return key === undefined
      ? null
      : { kind: 'anchor', key, delta: scrollTop - this.layout.offsetOf(index) };
  }

  private distanceFromBottom(): number {
    const viewport = this.viewport;
    if (!viewport) {
      return 0;
    }
    return this.layout.total - (viewport.measureScrollOffset() + viewport.getViewportSize());
  }

  /**
   * Scrolling must wait for the next render: until the spacer has its new height the
   * browser clamps scrollTop to the old one.
   */
  private scheduleScroll(): void {
    if (!this.pendingScroll || this.scrollScheduled) {
      return;
    }
    this.scrollScheduled = true;
    afterNextRender(
      () => {
        this.scrollScheduled = false;
        const pending = this.pendingScroll;
        const viewport = this.viewport;
        this.pendingScroll = null;
        if (!pending || !viewport) {
          return;
        }
        if (pending.kind === 'bottom') {
          viewport.scrollToOffset(this.layout.total);
          this.atBottomState.set(true);
        } else {
          const index = this.indexByKey.get(pending.key);
          if (index !== undefined) {
            viewport.scrollToOffset(this.layout.offsetOf(index) + pending.delta);
          }
        }
        this.updateRenderedRange();
      },
      { injector: this.injector },
    );
  }
}

/** Row offsets as prefix sums of heights; lookups by offset are binary searches. */
export class RowLayout {
  private readonly offsets: Float64Array;

  constructor(sizes: readonly number[]) {
    this.offsets = new Float64Array(sizes.length + 1);
    for (let i = 0; i < sizes.length; i++) {
      this.offsets[i + 1] = this.offsets[i] + sizes[i];
    }
  }

  get count(): number {
    return this.offsets.length - 1;
  }

  get total(): number {
    return this.offsets[this.offsets.length - 1];
  }

  offsetOf(index: number): number {
    return this.offsets[Math.max(0, Math.min(index, this.count))];
  }

  /** The row covering `offset` (the last row for offsets past the end). */
  indexAt(offset: number): number {
    if (this.count === 0) {
      return 0;
    }
    let low = 0;
    let high = this.count - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.offsets[mid] <= offset) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return low;
  }
}
