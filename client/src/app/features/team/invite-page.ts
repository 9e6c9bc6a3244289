import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  OnInit,
  computed,
  inject,
  input,
  signal,
} from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { RouterLink } from '@angular/router';

import { AuthStore } from '../../core/auth/auth-store';
import { WorkspaceSwitch } from '../../core/auth/workspace-switch';
import { ApiError } from '../../core/http/api-error';
import { CenteredCard } from '../../shared/ui/centered-card';
import { Spinner } from '../../shared/ui/spinner';
import { PRIMARY_BUTTON_CLASS } from '../auth/auth-form';
import { TeamApi } from './team-api';
import { InvitePreview } from './team.model';

type PreviewState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly invite: InvitePreview }
  | { readonly status: 'error'; readonly message: string };

/**
 * `/invite/:token`, the page an invite link opens. Signed out: create an account with the
 * invite, or sign in and come back here. Signed in: accept, then work in the joined
 * workspace. Unknown, revoked, expired and used-up links say so (404 and 410).
 */
@Component({
  selector: 'nl-invite-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, DatePipe, CenteredCard, Spinner],
  templateUrl: './invite-page.html',
  host: { class: 'block' },
})
export class InvitePage implements OnInit {
  private readonly api = inject(TeamApi);
  private readonly auth = inject(AuthStore);
  private readonly workspaceSwitch = inject(WorkspaceSwitch);

  /** Route parameter (withComponentInputBinding). */
  readonly token = input.required<string>();

  protected readonly preview = signal<PreviewState>({ status: 'loading' });
  protected readonly accepting = signal(false);
  protected readonly acceptError = signal<string | null>(null);
  /** Accepting answered 409: the user is in that workspace already. */
  protected readonly alreadyMember = signal(false);

  protected readonly session = this.auth.status;
  protected readonly user = this.auth.user;
  protected readonly returnUrl = computed(() => `/invite/${this.token()}`);
  protected readonly buttonClass = PRIMARY_BUTTON_CLASS;

  ngOnInit(): void {
    this.loadPreview();
  }

  protected loadPreview(): void {
    this.preview.set({ status: 'loading' });
    this.api.previewInvite(this.token()).subscribe({
      next: (invite) => this.preview.set({ status: 'ready', invite }),
      error: (error: unknown) =>
        this.preview.set({ status: 'error', message: invalidInviteMessage(ApiError.from(error)) }),
    });
  }

  protected async accept(): Promise<void> {
    if (this.accepting()) {
      return;
    }
    this.accepting.set(true);
    this.acceptError.set(null);
    try {
      const joined = await firstValueFrom(this.api.acceptInvite(this.token()));
      this.workspaceSwitch.switchTo(joined.id, '/inbox');
    } catch (error: unknown) {
      const apiError = ApiError.from(error);
      if (apiError.status === 409) {
        this.alreadyMember.set(true);
      } else {
        this.acceptError.set(invalidInviteMessage(apiError));
      }
      this.accepting.set(false);
    }
  }

  protected open(invite: InvitePreview): void {
    this.workspaceSwitch.switchTo(invite.workspace_id, '/inbox');
  }
}

/** The server's 404 and 410 messages are terse; say what to do next. */
function invalidInviteMessage(error: ApiError): string {
  switch (error.status) {
    case 404:
      return 'This invitation link is not valid: it was revoked or mistyped. Ask for a new link.';
    case 410:
      return `${error.message}. Ask whoever invited you for a new link.`;
    default:
      return error.message;
  }
}
