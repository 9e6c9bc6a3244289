import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { HttpClient } from '@angular/common/http';
import { toSignal } from '@angular/core/rxjs-interop';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { catchError, filter, map, of } from 'rxjs';

import { Logo } from '../../shared/ui/logo';
import { ThemeToggle } from '../../shared/ui/theme-toggle';
import { AuthStore } from '../auth/auth-store';
import { WorkspaceSwitch } from '../auth/workspace-switch';
import { CurrentWorkspace } from '../auth/user.model';
import { EventsService } from '../events/events-service';

/** Frame of the signed-in pages: navigation bar above the routed page. */
@Component({
  selector: 'nl-app-shell',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet, RouterLink, RouterLinkActive, Logo, ThemeToggle],
  templateUrl: './app-shell.html',
  host: {
    class: 'flex flex-col',
    '[class.h-dvh]': 'fullHeight()',
    '[class.min-h-dvh]': '!fullHeight()',
  },
})
export class AppShell {
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);

  /**
   * The inbox fills the screen and scrolls inside its panes; the other pages scroll the
   * document, which phones handle best (collapsing address bar, scroll restoration).
   */
  protected readonly fullHeight = toSignal(
    this.router.events.pipe(
      filter((e) => e instanceof NavigationEnd),
      map(() => isFullHeight(this.router.url)),
    ),
    { initialValue: isFullHeight(this.router.url) },
  );
  private readonly events = inject(EventsService);

  protected readonly user = this.auth.user;
  private readonly workspaceSwitch = inject(WorkspaceSwitch);
  /** `GET /api/workspaces`: the switcher shows when the user belongs to more than one. */
  protected readonly workspaces = toSignal(
    inject(HttpClient)
      .get<CurrentWorkspace[]>('/api/workspaces')
      .pipe(catchError(() => of<CurrentWorkspace[]>([]))),
    { initialValue: [] },
  );
  protected readonly currentWorkspace = computed(() => this.auth.user()?.workspace?.id ?? null);

  protected switchWorkspace(id: string): void {
    this.workspaceSwitch.switchTo(Number(id), '/dashboard');
  }
  protected readonly live = computed(() => this.events.state() === 'open');

  protected readonly links = [
    { path: '/dashboard', label: 'Dashboard' },
    { path: '/inbox', label: 'Inbox' },
    { path: '/team', label: 'Team' },
    { path: '/settings/whatsapp', label: 'WhatsApp' },
    { path: '/account', label: 'Account' },
  ] as const;

  protected logout(): void {
    void this.auth.signOut();
  }
}

function isFullHeight(url: string): boolean {
  return url === '/inbox' || url.startsWith('/inbox/') || url.startsWith('/inbox?');
}
