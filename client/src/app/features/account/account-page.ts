import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';

import { AuthStore } from '../../core/auth/auth-store';
import { NAME_REQUIRED, NAME_TOO_LONG, userNameValidator } from '../../core/auth/user-name';
import { ApiError } from '../../core/http/api-error';
import { DesktopNotifications } from '../../core/notifications/desktop-notifications';

export const PROFILE_UPDATED = 'Profile updated!';

/**
 * `/account` (SPEC): read-only email, editable name, "Member since", Save Changes; below,
 * desktop notifications on or off.
 */
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
  protected readonly notifications = inject(DesktopNotifications);
  protected readonly form = inject(NonNullableFormBuilder).group({
    name: [this.auth.user()?.name ?? '', userNameValidator],
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

  protected turnOnNotifications(): void {
    void this.notifications.turnOn();
  }

  protected nameError(): string | null {
    const c = this.form.controls.name;
    if (c.touched && c.hasError('required')) {
      return NAME_REQUIRED;
    }
    if (c.touched && c.hasError('maxlength')) {
      return NAME_TOO_LONG;
    }
    return null;
  }
}
