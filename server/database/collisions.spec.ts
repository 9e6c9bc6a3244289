import { describe, expect, it } from '@jest/globals';
import { isCollision, retryOnCollision } from './collisions.js';

const pgError = (code: string): Error => Object.assign(new Error(`pg ${code}`), { code });

describe('isCollision', () => {
  it.each([
    pgError('40P01'),
    pgError('40001'),
    // TypeORM's QueryFailedError keeps pg's error as driverError.
    Object.assign(new Error('query failed'), { driverError: pgError('40P01') }),
  ])('recognises %s as a collision with a concurrent transaction', (err) => {
    expect(isCollision(err)).toBe(true);
  });

  it.each([pgError('23505'), pgError('57P01'), new Error('boom'), null, 'deadlock'])(
    'does not treat %s as one',
    (err) => {
      expect(isCollision(err)).toBe(false);
    },
  );
});

describe('retryOnCollision', () => {
  it('runs the work again after a collision and answers its result', async () => {
    let runs = 0;
    const result = await retryOnCollision(() => {
      runs += 1;
      return runs === 1 ? Promise.reject(pgError('40P01')) : Promise.resolve('done');
    });
    expect(result).toBe('done');
    expect(runs).toBe(2);
  });

  it('throws any other error at once', async () => {
    let runs = 0;
    const failure = pgError('23505');
    await expect(
      retryOnCollision(() => {
        runs += 1;
        return Promise.reject(failure);
      }),
    ).rejects.toBe(failure);
    expect(runs).toBe(1);
  });

  it('gives up after the attempts, throwing the last collision', async () => {
    let runs = 0;
    await expect(
      retryOnCollision(() => {
        runs += 1;
        return Promise.reject(pgError('40001'));
      }, 3),
    ).rejects.toMatchObject({ code: '40001' });
    expect(runs).toBe(3);
  });
});
