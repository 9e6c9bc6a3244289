import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { authInterceptor } from './auth-interceptor';
import { TokenStorage } from './token-storage';

describe('authInterceptor', () => {
  let http: HttpClient;
  let controller: HttpTestingController;

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpClient);
    controller = TestBed.inject(HttpTestingController);
  });

  afterEach(() => controller.verify());

  function authorizationOf(url: string): string | null {
    http.get(url).subscribe();
    const req = controller.expectOne(url);
    req.flush({});
    return req.request.headers.get('Authorization');
  }

  it('adds the bearer token to our /api requests', () => {
    TestBed.inject(TokenStorage).write('t0k3n');
    expect(authorizationOf('/api/stats')).toBe('Bearer t0k3n');
    expect(authorizationOf(`${location.origin}/api/messages?limit=10`)).toBe('Bearer t0k3n');
  });

  it('never sends the token to another origin or outside /api', () => {
    TestBed.inject(TokenStorage).write('t0k3n');
    expect(authorizationOf('https://graph.facebook.com/v18.0/me')).toBeNull();
    expect(authorizationOf('https://evil.example/api/stats')).toBeNull();
    expect(authorizationOf('/apiary')).toBeNull();
    expect(authorizationOf('/favicon.svg')).toBeNull();
  });

  it('does not send a stale token with login or register', () => {
    TestBed.inject(TokenStorage).write('old');
    http.post('/api/auth/login', {}).subscribe();
    const req = controller.expectOne('/api/auth/login');
    expect(req.request.headers.has('Authorization')).toBe(false);
    req.flush({});
  });

  it('leaves requests alone when signed out', () => {
    expect(authorizationOf('/api/stats')).toBeNull();
  });
});
