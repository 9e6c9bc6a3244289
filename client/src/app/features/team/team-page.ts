import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { firstValueFrom } from 'rxjs';

import { AuthStore } from '../../core/auth/auth-store';
import { reportingErrors } from '../../core/http/api-error';
import { TeamApi } from './team-api';
import { Invite, Member } from './team.model';

/**
 * `/team`: members and invites. Everyone sees the members; only admins and the owner see
 * invites and the controls (the server answers 403 to anyone else regardless).
 */
@Component({
  selector: 'nl-team-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, DatePipe],
  templateUrl: './team-page.html',
  host: { class: 'block' },
})
export class TeamPage {
  private readonly api = inject(TeamApi);
  private readonly auth = inject(AuthStore);

  protected readonly me = this.auth.user;
  protected readonly canManage = computed(() => {
    const role = this.auth.user()?.workspace?.role;
    return role === 'owner' || role === 'admin';
  });
  protected readonly members = signal<Member[]>([]);
  protected readonly invites = signal<Invite[]>([]);
  protected readonly inviteLink = signal<string | null>(null);
  protected readonly copied = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly inviteForm = inject(NonNullableFormBuilder).group({
    role: ['agent'],
    maxUses: [1],
  });

  constructor() {
    void this.load();
  }

  protected async load(): Promise<void> {
    await reportingErrors(this.error, async () => {
      this.members.set(await firstValueFrom(this.api.members()));
      if (this.canManage()) {
        this.invites.set(await firstValueFrom(this.api.invites()));
      }
    });
  }

  protected async createInvite(): Promise<void> {
    const { role, maxUses } = this.inviteForm.getRawValue();
    await reportingErrors(this.error, async () => {
      const created = await firstValueFrom(
        this.api.createInvite(role === 'admin' ? 'admin' : 'agent', Number(maxUses) || 1),
      );
      this.inviteLink.set(`${location.origin}${created.path}`);
      this.copied.set(false);
      this.invites.set(await firstValueFrom(this.api.invites()));
    });
  }

  protected async copyLink(): Promise<void> {
    const link = this.inviteLink();
    if (link) {
      await navigator.clipboard?.writeText(link).catch(() => undefined);
      this.copied.set(true);
    }
  }

  protected async revoke(invite: Invite): Promise<void> {
    await reportingErrors(this.error, async () => {
      await firstValueFrom(this.api.revokeInvite(invite.id));
      this.invites.set(await firstValueFrom(this.api.invites()));
    });
  }

  protected async changeRole(member: Member, role: string): Promise<void> {
    if (role !== 'admin' && role !== 'agent') {
      return;
    }
    await reportingErrors(this.error, async () => {
      const updated = await firstValueFrom(this.api.changeRole(member.user_id, role));
      this.members.update((all) => all.map((m) => (m.user_id === updated.user_id ? updated : m)));
    });
  }

  protected async remove(member: Member): Promise<void> {
    await reportingErrors(this.error, async () => {
      await firstValueFrom(this.api.removeMember(member.user_id));
      this.members.update((all) => all.filter((m) => m.user_id !== member.user_id));
    });
  }
}
