import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import {
  AbstractControl,
  NonNullableFormBuilder,
  ReactiveFormsModule,
  ValidationErrors,
  Validators,
} from '@angular/forms';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';

import { AuthStore } from '../../core/auth/auth-store';
import { NAME_REQUIRED, NAME_TOO_LONG, userNameValidator } from '../../core/auth/user-name';
import { ApiError } from '../../core/http/api-error';
import { CenteredCard } from '../../shared/ui/centered-card';
import { FIELD_CLASS, LABEL_CLASS, PRIMARY_BUTTON_CLASS } from './auth-form';

/** SPEC: "password at least 6 characters", enforced by the server too (422). */
export const MIN_PASSWORD_LENGTH = 6;

export const PASSWORD_TOO_SHORT = `Password must be at least ${MIN_PASSWORD_LENGTH} characters`;
export const PASSWORDS_DO_NOT_MATCH = 'Passwords do not match';

function passwordsMatch(group: AbstractControl): ValidationErrors | null {
  const password: unknown = group.get('password')?.value;
  const confirm: unknown = group.get('confirmPassword')?.value;
  return password === confirm ? null : { passwordMismatch: true };
}

/** `/register` (SPEC): creates the account, then signs in and opens the dashboard. */
@Component({
  selector: 'nl-register-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, RouterLink, CenteredCard],
  templateUrl: './register-page.html',
  host: { class: 'block' },
})
export class RegisterPage {
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);
  /** `/register?invite=…` (an invite link): the account joins that team. */
  protected readonly inviteToken =
    inject(ActivatedRoute).snapshot.queryParamMap.get('invite') ?? undefined;

  protected readonly form = inject(NonNullableFormBuilder).group(
    {
      name: ['', userNameValidator],
      email: ['', [Validators.required, Validators.email]],
      password: ['', [Validators.required, Validators.minLength(MIN_PASSWORD_LENGTH)]],
      confirmPassword: ['', Validators.required],
    },
    { validators: passwordsMatch },
  );

  protected readonly pending = signal(false);
  protected readonly error = signal<string | null>(null);
  /** Field messages from a 422 answer, keyed by the server's field names. */
  protected readonly serverFieldErrors = signal<Readonly<Record<string, string>>>({});

  protected readonly fieldClass = FIELD_CLASS;
  protected readonly labelClass = LABEL_CLASS;
  protected readonly buttonClass = PRIMARY_BUTTON_CLASS;
  protected readonly passwordTooShort = PASSWORD_TOO_SHORT;
  protected readonly passwordsDoNotMatch = PASSWORDS_DO_NOT_MATCH;

  protected async createAccount(): Promise<void> {
    if (this.pending()) {
      return;
    }
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { name, email, password } = this.form.getRawValue();
    this.pending.set(true);
    this.error.set(null);
    this.serverFieldErrors.set({});
    try {
      if (this.inviteToken) {
        await this.auth.register(name.trim(), email.trim(), password, this.inviteToken);
      } else {
        await this.auth.register(name.trim(), email.trim(), password);
      }
      await this.router.navigateByUrl(this.inviteToken ? '/inbox' : '/dashboard');
    } catch (error: unknown) {
      const apiError = ApiError.from(error);
      this.error.set(apiError.message);
      this.serverFieldErrors.set(
        Object.fromEntries(apiError.fieldErrors.map((e) => [e.field, e.message])),
      );
    } finally {
      this.pending.set(false);
    }
  }

  protected touched(control: 'name' | 'email' | 'password' | 'confirmPassword'): boolean {
    return this.form.controls[control].touched;
  }

  protected nameError(): string | null {
    const c = this.form.controls.name;
    if (c.touched && c.hasError('required')) {
      return NAME_REQUIRED;
    }
    if (c.touched && c.hasError('maxlength')) {
      return NAME_TOO_LONG;
    }
    return this.serverFieldErrors()['name'] ?? null;
  }

  protected emailError(): string | null {
    const c = this.form.controls.email;
    if (c.touched && c.hasError('required')) {
      return 'Enter your email address';
    }
    if (c.touched && c.hasError('email')) {
      return 'Enter a valid email address';
    }
    return this.serverFieldErrors()['email'] ?? null;
  }

  protected passwordError(): string | null {
    const c = this.form.controls.password;
    if (c.touched && c.hasError('required')) {
      return 'Enter a password';
    }
    if (c.touched && c.hasError('minlength')) {
      return PASSWORD_TOO_SHORT;
    }
    return this.serverFieldErrors()['password'] ?? null;
  }

  protected confirmError(): string | null {
    const c = this.form.controls.confirmPassword;
    if (!c.touched) {
      return null;
    }
    if (c.hasError('required')) {
      return 'Confirm your password';
    }
    return this.form.hasError('passwordMismatch') ? PASSWORDS_DO_NOT_MATCH : null;
  }
}
