import { describe, expect, it } from '@jest/globals';
import { isDatabaseUnavailable } from './all-exceptions.filter.js';

describe('isDatabaseUnavailable', () => {
  it.each([
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    }),
    new Error('timeout exceeded when trying to connect'),
    new Error('Connection terminated unexpectedly'),
    Object.assign(new Error('query failed'), {
      driverError: Object.assign(new Error('x'), { code: '08006' }),
    }),
  ])('recognises %s as the database being unavailable', (err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    Object.assign(new Error('duplicate key value'), { code: '23505' }),
    new Error('Cannot read properties of undefined'),
    'not an error',
  ])('does not treat %s as unavailability', (err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});
