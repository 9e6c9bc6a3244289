import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';

import { ApiError } from '../http/api-error';
import { errorInterceptor } from '../http/error-interceptor';
import { authInterceptor } from './auth-interceptor';
import { AuthStore, SESSION_EXPIRED_MESSAGE } from './auth-store';
import { tokenExpiringIn } from './testing/fake-jwt';
import { TokenStorage } from './token-storage';
import { User } from './user.model';

const USER: User = {
  id: 1,
  email: 'ada@example.com',
  name: 'Ada',
  is_active: true,
  created_at: '2026-01-20T10:00:00Z',
};

describe(AuthStore.name, () => {
  let http: HttpTestingController;
  let tokens: TokenStorage;
  let router: Router;

  function setup(): AuthStore {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([authInterceptor, errorInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpTestingController);
    tokens = TestBed.inject(TokenStorage);
    router = TestBed.inject(Router);
    return TestBed.inject(AuthStore);
  }

  beforeEach(() => localStorage.clear());
  afterEach(() => {
    http.verify();
    vi.useRealTimers();
  });

  it('is signed out at start without a stored token', async () => {
    const store = setup();
    await store.restore();
    expect(store.status()).toBe('signed-out');
    expect(store.user()).toBeNull();
  });

  it('loads the user from /api/auth/me when a token is stored', async () => {
    const token = tokenExpiringIn(600);
    localStorage.setItem('nolose.token', token);
    const store = setup();

    const restoring = store.restore();
    expect(store.status()).toBe('loading');
    const req = http.expectOne('/api/auth/me');
    expect(req.request.headers.get('Authorization')).toBe(`Bearer ${token}`);
    req.flush(USER);
    await restoring;

    expect(store.status()).toBe('signed-in');
    expect(store.user()).toEqual(USER);
    expect(store.token()).toBe(token);
  });

  it('forgets an already expired token without asking the server', async () => {
    localStorage.setItem('nolose.token', tokenExpiringIn(-10));
    const store = setup();
    await store.restore();
    expect(store.status()).toBe('signed-out');
    expect(store.notice()).toBe(SESSION_EXPIRED_MESSAGE);
    expect(tokens.read()).toBeNull();
  });

  it('signs out when the server refuses the stored token', async () => {
    localStorage.setItem('nolose.token', tokenExpiringIn(600));
    const store = setup();
    const restoring = store.restore();
    http
      .expectOne('/api/auth/me')
      .flush(
        { status_code: 401, message: 'Unauthorized' },
        { status: 401, statusText: 'Unauthorized' },
      );
    await restoring;
    expect(store.status()).toBe('signed-out');
    expect(tokens.read()).toBeNull();
    expect(store.notice()).toBe(SESSION_EXPIRED_MESSAGE);
  });

  it('lets waiters through once the start-up check is over', async () => {
    localStorage.setItem('nolose.token', tokenExpiringIn(600));
    const store = setup();
    const restoring = store.restore();
    let settled = false;
    const waiting = store.whenSettled().then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    http.expectOne('/api/auth/me').flush(USER);
    await restoring;
    await waiting;
    expect(settled).toBe(true);
  });

  it('signs in: saves the token and loads the user', async () => {
    const store = setup();
    await store.restore();
    const token = tokenExpiringIn(1800);

    const signingIn = store.signIn('ada@example.com', 'secret1');
    const login = http.expectOne('/api/auth/login');
    expect(login.request.method).toBe('POST');
    expect(login.request.body).toEqual({ email: 'ada@example.com', password: 'secret1' });
    expect(login.request.headers.has('Authorization')).toBe(false);
    login.flush({ access_token: token, token_type: 'bearer' });
    await Promise.resolve();
    http.expectOne('/api/auth/me').flush(USER);
    await signingIn;

    expect(localStorage.getItem('nolose.token')).toBe(token);
    expect(store.status()).toBe('signed-in');
    expect(store.user()?.name).toBe('Ada');
  });

  it('rejects a failed sign-in with the server message', async () => {
    const store = setup();
    await store.restore();
    const signingIn = store.signIn('ada@example.com', 'wrong');
    http
      .expectOne('/api/auth/login')
      .flush(
        { status_code: 401, error: 'Unauthorized', message: 'Incorrect email or password' },
        { status: 401, statusText: 'Unauthorized' },
      );
    await expect(signingIn).rejects.toEqual(
      expect.objectContaining({ status: 401, message: 'Incorrect email or password' }),
    );
    await expect(signingIn).rejects.toBeInstanceOf(ApiError);
    expect(store.status()).toBe('signed-out');
    expect(store.notice()).toBeNull();
  });

  it('ends the session when the token expires, before any request fails', async () => {
    vi.useFakeTimers();
    localStorage.setItem('nolose.token', tokenExpiringIn(60));
    const store = setup();
    const navigate = vi.spyOn(router, 'navigate').mockResolvedValue(true);
    const restoring = store.restore();
    http.expectOne('/api/auth/me').flush(USER);
    await restoring;
    expect(store.status()).toBe('signed-in');

    vi.advanceTimersByTime(59_000);
    expect(store.status()).toBe('signed-in');
    vi.advanceTimersByTime(2_000);

    expect(store.status()).toBe('signed-out');
    expect(store.notice()).toBe(SESSION_EXPIRED_MESSAGE);
    expect(tokens.read()).toBeNull();
    expect(navigate).toHaveBeenCalledWith(['/login'], expect.anything());
  });

  it('expires only once when several requests fail together', async () => {
    localStorage.setItem('nolose.token', tokenExpiringIn(600));
    const store = setup();
    const navigate = vi.spyOn(router, 'navigate').mockResolvedValue(true);
    const restoring = store.restore();
    http.expectOne('/api/auth/me').flush(USER);
    await restoring;

    store.expireSession();
    store.expireSession();
    expect(navigate).toHaveBeenCalledTimes(1);
  });

  it('updates the profile with a JSON body', async () => {
    localStorage.setItem('nolose.token', tokenExpiringIn(600));
    const store = setup();
    const restoring = store.restore();
    http.expectOne('/api/auth/me').flush(USER);
    await restoring;

    const updating = store.updateProfile('Ada Lovelace');
    const req = http.expectOne({ method: 'PUT', url: '/api/auth/me' });
    expect(req.request.body).toEqual({ name: 'Ada Lovelace' });
    req.flush({ ...USER, name: 'Ada Lovelace' });
    await updating;
    expect(store.user()?.name).toBe('Ada Lovelace');
  });

  it('logout clears the token and goes home', async () => {
    localStorage.setItem('nolose.token', tokenExpiringIn(600));
    const store = setup();
    const navigate = vi.spyOn(router, 'navigateByUrl').mockResolvedValue(true);
    const restoring = store.restore();
    http.expectOne('/api/auth/me').flush(USER);
    await restoring;

    await store.signOut();
    expect(tokens.read()).toBeNull();
    expect(store.status()).toBe('signed-out');
    expect(navigate).toHaveBeenCalledWith('/');
  });
});
