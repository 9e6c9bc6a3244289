import { DestroyRef, Injectable, inject, signal } from '@angular/core';

/**
 * A coarse "now" for relative times ("5 min ago") so they age without each component
 * running its own timer.
 */
@Injectable({ providedIn: 'root' })
export class Clock {
  private readonly nowState = signal(Date.now());
  readonly now = this.nowState.asReadonly();

  constructor() {
    const timer = setInterval(() => this.nowState.set(Date.now()), 30_000);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }
}
