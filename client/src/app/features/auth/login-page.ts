import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';

import { AuthStore } from '../../core/auth/auth-store';
import { ApiError } from '../../core/http/api-error';
import { CenteredCard } from '../../shared/ui/centered-card';
import { FIELD_CLASS, LABEL_CLASS, PRIMARY_BUTTON_CLASS, safeReturnUrl } from './auth-form';

/** `/login` (SPEC): email and password; success saves the token and opens the dashboard. */
@Component({
  selector: 'nl-login-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, RouterLink, CenteredCard],
  templateUrl: './login-page.html',
  host: { class: 'block' },
})
export class LoginPage {
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);

  /** Query parameter set by authGuard: where to go after signing in. */
  readonly returnUrl = input<string>();

  protected readonly form = inject(NonNullableFormBuilder).group({
    email: ['', [Validators.required, Validators.email]],
    password: ['', Validators.required],
  });

  protected readonly pending = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly notice = this.auth.notice;

  protected readonly fieldClass = FIELD_CLASS;
  protected readonly labelClass = LABEL_CLASS;
  protected readonly buttonClass = PRIMARY_BUTTON_CLASS;

  protected async signIn(): Promise<void> {
    if (this.pending()) {
      return;
    }
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const { email, password } = this.form.getRawValue();
    this.pending.set(true);
    this.error.set(null);
    try {
      await this.auth.signIn(email.trim(), password);
      await this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
    } catch (error: unknown) {
      this.error.set(ApiError.from(error).message);
    } finally {
      this.pending.set(false);
    }
  }

  protected showError(control: 'email' | 'password'): boolean {
    const c = this.form.controls[control];
    return c.invalid && c.touched;
  }
}
