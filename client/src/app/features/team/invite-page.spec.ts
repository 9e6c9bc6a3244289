import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { getButton, normalize, queryButton } from '../../../testing/dom-queries';
import { AuthStore } from '../../core/auth/auth-store';
import { FakeAuthStore } from '../../core/auth/testing/fake-auth-store';
import { WorkspaceSwitch } from '../../core/auth/workspace-switch';
import { errorInterceptor } from '../../core/http/error-interceptor';
import { InvitePage } from './invite-page';
import { InvitePreview } from './team.model';

const TOKEN = 'n3VQ9k0aQwOq6n0xjJm4k1dY8w2b0Qf3lJp6Yw9H1gU';
const PREVIEW: InvitePreview = {
  workspace_id: 12,
  workspace_name: 'Acme Support',
  role: 'agent',
  expires_at: '2026-11-27T10:00:00.000Z',
};

describe(InvitePage.name, () => {
  let http: HttpTestingController;
  let switchTo: ReturnType<typeof vi.fn>;

  function render(signedIn: boolean) {
    const auth = new FakeAuthStore();
    if (signedIn) {
      auth.settle('signed-in', {
        id: 1,
        email: 'bob@example.com',
        name: 'Bob',
        is_active: true,
        created_at: '2026-01-01T00:00:00Z',
        workspace: { id: 3, name: "Bob's workspace", role: 'owner' },
      });
    } else {
      auth.settle('signed-out');
    }
    switchTo = vi.fn();
    TestBed.configureTestingModule({
      imports: [InvitePage],
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([errorInterceptor])),
        provideHttpClientTesting(),
        { provide: AuthStore, useValue: auth },
        { provide: WorkspaceSwitch, useValue: { switchTo } },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(InvitePage);
    fixture.componentRef.setInput('token', TOKEN);
    fixture.detectChanges();
    return { fixture, root: fixture.nativeElement as HTMLElement };
  }

  afterEach(() => http.verify());

  it('offers a signed-out visitor to create an account or sign in and come back', async () => {
    const { fixture, root } = render(false);
    http.expectOne(`/api/invites/${TOKEN}`).flush(PREVIEW);
    await fixture.whenStable();
    expect(normalize(root.querySelector('h1')?.textContent)).toBe('Join Acme Support');
    const links = [...root.querySelectorAll('a')].map((a) => [
      normalize(a.textContent),
      a.getAttribute('href'),
    ]);
    expect(links).toContainEqual(['Create account', `/register?invite=${TOKEN}`]);
    expect(links).toContainEqual([
      'Sign in to accept',
      `/login?returnUrl=${encodeURIComponent(`/invite/${TOKEN}`)}`,
    ]);
    expect(queryButton(root, 'Accept invitation')).toBeNull();
  });

  it('accepts for a signed-in user and moves into the joined workspace', async () => {
    const { fixture, root } = render(true);
    http.expectOne(`/api/invites/${TOKEN}`).flush(PREVIEW);
    await fixture.whenStable();
    expect(normalize(root.textContent)).toContain('Signed in as bob@example.com');
    getButton(root, 'Accept invitation').click();
    const accept = http.expectOne({ method: 'POST', url: `/api/invites/${TOKEN}/accept` });
    accept.flush({ id: 12, name: 'Acme Support', role: 'agent' });
    await fixture.whenStable();
    expect(switchTo).toHaveBeenCalledWith(12, '/inbox');
  });

  it('offers to open the workspace when the user already belongs to it', async () => {
    const { fixture, root } = render(true);
    http.expectOne(`/api/invites/${TOKEN}`).flush(PREVIEW);
    await fixture.whenStable();
    getButton(root, 'Accept invitation').click();
    http
      .expectOne(`/api/invites/${TOKEN}/accept`)
      .flush(
        { message: 'You already belong to this workspace' },
        { status: 409, statusText: 'Conflict' },
      );
    await fixture.whenStable();
    expect(normalize(root.textContent)).toContain('You already belong to Acme Support.');
    getButton(root, 'Open Acme Support').click();
    expect(switchTo).toHaveBeenCalledWith(12, '/inbox');
  });

  it('says clearly when the link has expired, was used up or revoked', async () => {
    const { fixture, root } = render(true);
    http
      .expectOne(`/api/invites/${TOKEN}`)
      .flush({ message: 'This invite has expired' }, { status: 410, statusText: 'Gone' });
    await fixture.whenStable();
    expect(normalize(root.querySelector('[role=alert]')?.textContent)).toBe(
      'This invite has expired. Ask whoever invited you for a new link.',
    );
    expect(queryButton(root, 'Accept invitation')).toBeNull();
  });

  it('reports an invite that became unusable while the page was open', async () => {
    const { fixture, root } = render(true);
    http.expectOne(`/api/invites/${TOKEN}`).flush(PREVIEW);
    await fixture.whenStable();
    getButton(root, 'Accept invitation').click();
    http
      .expectOne(`/api/invites/${TOKEN}/accept`)
      .flush({ message: 'Invite not found or revoked' }, { status: 404, statusText: 'Not Found' });
    await fixture.whenStable();
    expect(normalize(root.querySelector('[role=alert]')?.textContent)).toContain(
      'This invitation link is not valid',
    );
    expect(switchTo).not.toHaveBeenCalled();
  });
});
