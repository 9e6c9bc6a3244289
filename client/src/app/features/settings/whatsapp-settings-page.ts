import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { firstValueFrom } from 'rxjs';

import { AuthStore } from '../../core/auth/auth-store';
import { reportingErrors } from '../../core/http/api-error';
import { WhatsappNumber } from './whatsapp-number.model';
import { WhatsappNumbersApi } from './whatsapp-numbers-api';

/**
 * `/settings/whatsapp`: the workspace's numbers. Secrets are write-only: the list shows
 * them masked, as the server returns them. Admins and the owner only (403 otherwise).
 */
@Component({
  selector: 'nl-whatsapp-settings-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule],
  templateUrl: './whatsapp-settings-page.html',
  host: { class: 'block' },
})
export class WhatsappSettingsPage {
  private readonly api = inject(WhatsappNumbersApi);
  private readonly auth = inject(AuthStore);

  protected readonly canManage = computed(() => {
    const role = this.auth.user()?.workspace?.role;
    return role === 'owner' || role === 'admin';
  });
  protected readonly numbers = signal<WhatsappNumber[]>([]);
  protected readonly tests = signal<Readonly<Record<number, string>>>({});
  protected readonly error = signal<string | null>(null);
  protected readonly form = inject(NonNullableFormBuilder).group({
    phone_number_id: ['', [Validators.required, Validators.pattern(/^\d+$/)]],
    business_account_id: ['', [Validators.required, Validators.pattern(/^\d+$/)]],
    access_token: ['', Validators.required],
    app_secret: ['', Validators.required],
    verify_token: ['', Validators.required],
  });

  constructor() {
    if (this.canManage()) {
      void reportingErrors(this.error, async () =>
        this.numbers.set(await firstValueFrom(this.api.list())),
      );
    }
  }

  protected async addNumber(): Promise<void> {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    await reportingErrors(this.error, async () => {
      await firstValueFrom(this.api.create(this.form.getRawValue()));
      this.form.reset();
      this.numbers.set(await firstValueFrom(this.api.list()));
    });
  }

  protected async testNumber(number: WhatsappNumber): Promise<void> {
    await reportingErrors(this.error, async () => {
      const result = await firstValueFrom(this.api.test(number.id));
      const text = result.ok
        ? `Connected: ${result.verified_name ?? result.display_phone_number ?? number.phone_number_id}`
        : `Failed: ${result.error ?? 'unknown error'}`;
      this.tests.update((all) => ({ ...all, [number.id]: text }));
    });
  }

  protected async removeNumber(number: WhatsappNumber): Promise<void> {
    await reportingErrors(this.error, async () => {
      await firstValueFrom(this.api.remove(number.id));
      this.numbers.update((all) => all.filter((n) => n.id !== number.id));
    });
  }
}
