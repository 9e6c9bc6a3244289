import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';

import { getButton, getByLabel, normalize, typeInto } from '../../../testing/dom-queries';
import { AuthStore } from '../../core/auth/auth-store';
import { FakeAuthStore } from '../../core/auth/testing/fake-auth-store';
import { MAX_NAME_LENGTH } from '../../core/auth/user-name';
import { ApiError } from '../../core/http/api-error';
import { PASSWORDS_DO_NOT_MATCH, PASSWORD_TOO_SHORT, RegisterPage } from './register-page';

describe(RegisterPage.name, () => {
  let auth: FakeAuthStore;

  async function render() {
    auth = new FakeAuthStore();
    auth.settle('signed-out');
    TestBed.configureTestingModule({
      imports: [RegisterPage],
      providers: [provideRouter([]), { provide: AuthStore, useValue: auth }],
    });
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl').mockResolvedValue(true);
    const fixture = TestBed.createComponent(RegisterPage);
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;

    async function fill(values: {
      name?: string;
      password: string;
      confirm: string;
    }): Promise<void> {
      typeInto(getByLabel(root, 'Name'), values.name ?? 'Ada');
      typeInto(getByLabel(root, 'Email'), 'ada@example.com');
      typeInto(getByLabel(root, 'Password'), values.password);
      typeInto(getByLabel(root, 'Confirm password'), values.confirm);
      getButton(root, 'Create account').click();
      await fixture.whenStable();
    }

    return { fixture, root, navigate, fill };
  }

  it('refuses passwords that do not match', async () => {
    const { root, fill } = await render();
    await fill({ password: 'secret1', confirm: 'secret2' });
    expect(root.textContent).toContain(PASSWORDS_DO_NOT_MATCH);
    expect(auth.register).not.toHaveBeenCalled();
  });

  it('refuses passwords shorter than 6 characters', async () => {
    const { root, fill } = await render();
    await fill({ password: 'abc', confirm: 'abc' });
    expect(root.textContent).toContain(PASSWORD_TOO_SHORT);
    expect(PASSWORD_TOO_SHORT).toBe('Password must be at least 6 characters');
    expect(auth.register).not.toHaveBeenCalled();
  });

  it('asks for a name when it is empty', async () => {
    const { root, fill } = await render();
    await fill({ name: '', password: 'secret1', confirm: 'secret1' });
    expect(normalize(root.querySelector('#register-name-error')?.textContent)).toBe(
      'Enter your name',
    );
    expect(auth.register).not.toHaveBeenCalled();
  });

  it('refuses a name longer than 200 characters, as the server does', async () => {
    const { root, fill } = await render();
    await fill({ name: 'a'.repeat(MAX_NAME_LENGTH + 1), password: 'secret1', confirm: 'secret1' });
    expect(MAX_NAME_LENGTH).toBe(200);
    expect(normalize(root.querySelector('#register-name-error')?.textContent)).toBe(
      'Name must be at most 200 characters',
    );
    expect(getByLabel(root, 'Name').getAttribute('aria-invalid')).toBe('true');
    expect(auth.register).not.toHaveBeenCalled();
  });

  it('accepts a name of exactly 200 characters', async () => {
    const { root, fill } = await render();
    auth.register.mockResolvedValue();
    const name = 'a'.repeat(MAX_NAME_LENGTH);
    await fill({ name, password: 'secret1', confirm: 'secret1' });
    expect(root.querySelector('#register-name-error')).toBeNull();
    expect(auth.register).toHaveBeenCalledWith(name, 'ada@example.com', 'secret1');
  });

  it('creates the account, signs in and opens the dashboard', async () => {
    const { fixture, root, navigate, fill } = await render();
    let finish!: () => void;
    auth.register.mockReturnValue(new Promise<void>((resolve) => (finish = resolve)));

    await fill({ password: 'secret1', confirm: 'secret1' });
    expect(getButton(root, 'Creating account...').disabled).toBe(true);
    expect(auth.register).toHaveBeenCalledWith('Ada', 'ada@example.com', 'secret1');

    finish();
    await fixture.whenStable();
    expect(navigate).toHaveBeenCalledWith('/dashboard');
  });

  it('shows the server error, e.g. an email already registered', async () => {
    const { root, fill } = await render();
    auth.register.mockRejectedValue(new ApiError(400, 'Email already registered'));
    await fill({ password: 'secret1', confirm: 'secret1' });
    expect(normalize(root.querySelector('[role="alert"]')?.textContent)).toBe(
      'Email already registered',
    );
    expect(getButton(root, 'Create account')).toBeTruthy();
  });

  it('links to sign in', async () => {
    const { root } = await render();
    const link = Array.from(root.querySelectorAll('a')).find(
      (a) => normalize(a.textContent) === 'Already have an account? Sign in',
    );
    expect(link?.getAttribute('href')).toBe('/login');
  });
});
