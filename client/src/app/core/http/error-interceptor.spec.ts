import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';

import { AuthStore } from '../auth/auth-store';
import { FakeAuthStore } from '../auth/testing/fake-auth-store';
import { ApiError } from './api-error';
import { errorInterceptor } from './error-interceptor';
import { validationFailure } from '../../../testing/api-errors';

describe('errorInterceptor', () => {
  let http: HttpClient;
  let controller: HttpTestingController;
  let auth: FakeAuthStore;

  beforeEach(() => {
    auth = new FakeAuthStore();
    auth.settle('signed-in');
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        { provide: AuthStore, useValue: auth },
      ],
    });
    http = TestBed.inject(HttpClient);
    controller = TestBed.inject(HttpTestingController);
  });

  afterEach(() => controller.verify());

  it('turns error responses into ApiError with the server message and fields', async () => {
    const result = firstValueFrom(http.get('/api/messages?limit=1000'));
    controller
      .expectOne('/api/messages?limit=1000')
      .flush(...validationFailure('limit', 'limit must not be greater than 100'));
    const error: unknown = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 422, message: 'limit must not be greater than 100' });
    expect((error as ApiError).fieldErrors).toEqual([
      { field: 'limit', message: 'limit must not be greater than 100' },
    ]);
    expect(auth.expireSession).not.toHaveBeenCalled();
  });

  it('ends the session on a 401 for an authenticated request', async () => {
    const result = firstValueFrom(
      http.get('/api/stats', { headers: { Authorization: 'Bearer expired' } }),
    );
    controller
      .expectOne('/api/stats')
      .flush(
        { status_code: 401, message: 'Unauthorized' },
        { status: 401, statusText: 'Unauthorized' },
      );
    await expect(result).rejects.toMatchObject({ status: 401 });
    expect(auth.expireSession).toHaveBeenCalledTimes(1);
  });

  it('leaves the session alone on a 401 without a token (wrong password)', async () => {
    const result = firstValueFrom(http.post('/api/auth/login', {}));
    controller
      .expectOne('/api/auth/login')
      .flush(
        { status_code: 401, message: 'Incorrect email or password' },
        { status: 401, statusText: 'Unauthorized' },
      );
    await expect(result).rejects.toMatchObject({
      status: 401,
      message: 'Incorrect email or password',
    });
    expect(auth.expireSession).not.toHaveBeenCalled();
  });

  it('reports network failures as status 0', async () => {
    const result = firstValueFrom(http.get('/api/stats'));
    controller.expectOne('/api/stats').error(new ProgressEvent('error'));
    await expect(result).rejects.toMatchObject({ status: 0 });
  });
});
