import { Logger, type ArgumentsHost } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AllExceptionsFilter, isDatabaseUnavailable } from './all-exceptions.filter.js';

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

describe('AllExceptionsFilter', () => {
  // Its log lines are not what these tests look at.
  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  afterAll(() => {
    Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose', 'fatal']);
  });

  /** What the filter answers for `err` thrown by a request. */
  function answer(err: unknown): { status: number; body: unknown } {
    const sent = { status: 0, body: undefined as unknown };
    interface FakeResponse {
      headersSent: boolean;
      status(code: number): FakeResponse;
      json(body: unknown): FakeResponse;
    }
    const res: FakeResponse = {
      headersSent: false,
      status(code) {
        sent.status = code;
        return res;
      },
      json(body) {
        sent.body = body;
        return res;
      },
    };
    const req = { method: 'DELETE', path: '/api/workspace/members/7' };
    const host = {
      switchToHttp: () => ({ getResponse: () => res, getRequest: () => req }),
    } as unknown as ArgumentsHost;
    new AllExceptionsFilter().catch(err, host);
    return sent;
  }

  it('answers a deadlock that outlived its retries 503 with a code, not 500', () => {
    const deadlock = Object.assign(new Error('query failed'), {
      driverError: Object.assign(new Error('deadlock detected'), { code: '40P01' }),
    });
    expect(answer(deadlock)).toEqual({
      status: 503,
      body: {
        status_code: 503,
        error: 'Service Unavailable',
        message: 'The request collided with concurrent changes; try again',
        code: 'concurrent_update',
      },
    });
  });

  it('still answers an unknown error 500 without internals', () => {
    expect(answer(new Error('secret detail'))).toEqual({
      status: 500,
      body: { status_code: 500, error: 'Internal Server Error', message: 'Internal server error' },
    });
  });
});
