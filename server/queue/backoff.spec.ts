import { describe, expect, it } from '@jest/globals';
import { MAX_RETRY_DELAY_MS, retryDelayMs } from './backoff.js';

describe('retryDelayMs', () => {
  it('doubles per attempt between half and all of the step', () => {
    expect(retryDelayMs(1, 1000, () => 0)).toBe(500);
    expect(retryDelayMs(1, 1000, () => 1)).toBe(1000);
    expect(retryDelayMs(3, 1000, () => 0)).toBe(2000);
    expect(retryDelayMs(3, 1000, () => 1)).toBe(4000);
  });

  it('never waits longer than the cap, however many attempts', () => {
    expect(retryDelayMs(40, 1000, () => 1)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(40, 1000, () => 0)).toBe(MAX_RETRY_DELAY_MS / 2);
  });

  it('spreads jobs that failed together', () => {
    const values = [0.1, 0.5, 0.9].map((r) => retryDelayMs(2, 1000, () => r));
    expect(new Set(values).size).toBe(3);
  });
});
