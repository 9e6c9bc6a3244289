import { HttpErrorResponse } from '@angular/common/http';

import { ApiError } from './api-error';

describe(ApiError.name, () => {
  it('keeps the status, message and field errors of the server error shape', () => {
    const error = ApiError.fromHttpError(
      new HttpErrorResponse({
        status: 422,
        error: {
          status_code: 422,
          error: 'Unprocessable Entity',
          message: 'limit must not be greater than 100',
          errors: [{ field: 'limit', message: 'limit must not be greater than 100' }],
        },
      }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(422);
    expect(error.message).toBe('limit must not be greater than 100');
    expect(error.messageFor('limit')).toBe('limit must not be greater than 100');
    expect(error.messageFor('skip')).toBeNull();
  });

  it('reads a domain code', () => {
    const error = ApiError.fromHttpError(
      new HttpErrorResponse({
        status: 422,
        error: { status_code: 422, code: 'window_closed', message: 'The 24-hour window is closed' },
      }),
    );
    expect(error.code).toBe('window_closed');
  });

  it('joins message arrays and parses JSON text bodies', () => {
    expect(
      ApiError.fromHttpError(new HttpErrorResponse({ status: 400, error: { message: ['a', 'b'] } }))
        .message,
    ).toBe('a. b');
    expect(
      ApiError.fromHttpError(
        new HttpErrorResponse({ status: 401, error: '{"message":"Incorrect email or password"}' }),
      ).message,
    ).toBe('Incorrect email or password');
  });

  it('falls back to a readable message by status', () => {
    expect(ApiError.fromHttpError(new HttpErrorResponse({ status: 0 })).message).toMatch(
      /Cannot reach the server/,
    );
    expect(ApiError.fromHttpError(new HttpErrorResponse({ status: 500 })).message).toBe(
      'Something went wrong on the server.',
    );
  });
});
