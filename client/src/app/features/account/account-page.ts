import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';

import { AuthStore } from '../../core/auth/auth-store';
import { ApiError } from '../../core/http/api-error';

export const PROFILE_UPDATED = 'Profile updated!';

/** `/account` (SPEC): read-only email, editable name, "Member since", Save Changes. */
@Component({
  selector: 'nl-account-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, DatePipe],
  templateUrl: './account-page.html',
  host: { class: 'block' },
})
export class AccountPage {
  private readonly auth = inject(AuthStore);

  protected readonly user = this.auth.user;
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: [this.auth.user()?.name ?? '', [Validators.required, Validators.maxLength(255)]],
  });

  protected readonly saving = signal(false);
  protected readonly result = signal<{ ok: boolean; message: string } | null>(null);

  protected async saveChanges(): Promise<void> {
    if (this.saving()) {
      return;
    }
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    const name = this.form.controls.name.value.trim();
    this.saving.set(true);
    this.result.set(null);
    try {
      const user = await this.auth.updateProfile(name);
      this.form.reset({ name: user.name });
      this.result.set({ ok: true, message: PROFILE_UPDATED });
    } catch (error: unknown) {
      const apiError = ApiError.from(error);
      this.result.set({ ok: false, message: apiError.messageFor('name') ?? apiError.message });
    } finally {
      this.saving.set(false);
    }
  }

  protected nameInvalid(): boolean {
    const c = this.form.controls.name;
    return c.invalid && c.touched;
  }
}
