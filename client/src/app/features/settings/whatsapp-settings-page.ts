import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { ActivatedRoute } from '@angular/router';
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
  protected readonly notice = signal<string | null>(null);
  protected readonly form = inject(NonNullableFormBuilder).group({
    phone_number_id: ['', [Validators.required, Validators.pattern(/^\d+$/)]],
    business_account_id: ['', [Validators.required, Validators.pattern(/^\d+$/)]],
    access_token: ['', Validators.required],
    app_secret: ['', Validators.required],
    verify_token: ['', Validators.required],
  });

  constructor() {
    // From the dashboard's "Connect this number" (a number Meta already delivers to).
    const suggested = inject(ActivatedRoute).snapshot.queryParamMap.get('phone_number_id');
    if (suggested && /^\d+$/.test(suggested)) {
      this.form.controls.phone_number_id.setValue(suggested);
    }
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
    this.notice.set(null);
    await reportingErrors(this.error, async () => {
      const created = await firstValueFrom(this.api.create(this.form.getRawValue()));
      // The server replays what Meta delivered for the number before it was connected.
      this.notice.set(
        `Connected ${created.phone_number_id}. Messages WhatsApp delivered for it earlier are being added to the inbox.`,
      );
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
