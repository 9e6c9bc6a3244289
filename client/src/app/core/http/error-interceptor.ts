import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, throwError } from 'rxjs';

import { AuthStore } from '../auth/auth-store';
import { ApiError } from './api-error';

/**
 * Turns every HTTP error into an {@link ApiError} (status kept, server message kept).
 * A 401 on a request that carried our token means the session is over: end it once and
 * send the operator to `/login` with "Your session has expired".
 */
export const errorInterceptor: HttpInterceptorFn = (req, next) => {
  const auth = inject(AuthStore);
  return next(req).pipe(
    catchError((error: unknown) => {
      if (!(error instanceof HttpErrorResponse)) {
        return throwError(() => error);
      }
      const apiError = ApiError.fromHttpError(error);
      if (apiError.status === 401 && req.headers.has('Authorization')) {
        auth.expireSession();
      }
      return throwError(() => apiError);
    }),
  );
};
