import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';

import { getButton, getByLabel, normalize, typeInto } from '../../../testing/dom-queries';
import { AuthStore } from '../../core/auth/auth-store';
import { FakeAuthStore } from '../../core/auth/testing/fake-auth-store';
import { ApiError } from '../../core/http/api-error';
import { LoginPage } from './login-page';

describe(LoginPage.name, () => {
  let auth: FakeAuthStore;

  async function render(returnUrl?: string) {
    auth = new FakeAuthStore();
    auth.settle('signed-out');
    TestBed.configureTestingModule({
      imports: [LoginPage],
      providers: [provideRouter([]), { provide: AuthStore, useValue: auth }],
    });
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    const fixture = TestBed.createComponent(LoginPage);
    if (returnUrl) {
      fixture.componentRef.setInput('returnUrl', returnUrl);
    }
    await fixture.whenStable();
    return { fixture, root: fixture.nativeElement as HTMLElement, navigate };
  }

  async function fillAndSubmit(root: HTMLElement, fixture: { whenStable(): Promise<unknown> }) {
    typeInto(getByLabel(root, 'Email'), 'ada@example.com');
    typeInto(getByLabel(root, 'Password'), 'secret1');
    getButton(root, 'Sign in').click();
    await fixture.whenStable();
  }

  it('says "Signing in..." while signing in, then opens the dashboard', async () => {
    const { fixture, root, navigate } = await render();
    let finish!: () => void;
    auth.signIn.mockReturnValue(new Promise<void>((resolve) => (finish = resolve)));

    await fillAndSubmit(root, fixture);

    const button = getButton(root, 'Signing in...');
    expect(button.disabled).toBe(true);
    expect(auth.signIn).toHaveBeenCalledWith('ada@example.com', 'secret1');

    finish();
    await vi.waitFor(() => expect(navigate).toHaveBeenCalledWith('/dashboard'));
    await fixture.whenStable();
    await vi.waitFor(() => expect(getButton(root, 'Sign in').disabled).toBe(false));
  });

  it('shows the server message when the credentials are wrong', async () => {
    const { fixture, root, navigate } = await render();
    auth.signIn.mockRejectedValue(new ApiError(401, 'Incorrect email or password'));

    await fillAndSubmit(root, fixture);

    expect(normalize(root.querySelector('[role="alert"]')?.textContent)).toBe(
      'Incorrect email or password',
    );
    expect(getButton(root, 'Sign in')).toBeTruthy();
    expect(navigate).not.toHaveBeenCalled();
  });

  it('returns to the page the guard came from', async () => {
    const { fixture, root, navigate } = await render('/inbox/12');
    auth.signIn.mockResolvedValue();
    await fillAndSubmit(root, fixture);
    expect(navigate).toHaveBeenCalledWith('/inbox/12');
  });

  it('ignores a returnUrl pointing to another site', async () => {
    const { fixture, root, navigate } = await render('//evil.example/x');
    auth.signIn.mockResolvedValue();
    await fillAndSubmit(root, fixture);
    expect(navigate).toHaveBeenCalledWith('/dashboard');
  });

  it('does not call the server with empty fields', async () => {
    const { fixture, root } = await render();
    getButton(root, 'Sign in').click();
    await fixture.whenStable();
    expect(auth.signIn).not.toHaveBeenCalled();
    expect(root.textContent).toContain('Enter your email address');
    expect(root.textContent).toContain('Enter your password');
  });

  it('shows why the session ended and links to registration', async () => {
    const { fixture, root } = await render();
    auth.notice.set('Your session has expired');
    await fixture.whenStable();
    expect(normalize(root.querySelector('[role="status"]')?.textContent)).toBe(
      'Your session has expired',
    );
    const link = Array.from(root.querySelectorAll('a')).find(
      (a) => normalize(a.textContent) === "Don't have an account? Register",
    );
    expect(link?.getAttribute('href')).toBe('/register');
  });
});
