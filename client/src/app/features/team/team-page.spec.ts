import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';

import { getButton, normalize, queryButton } from '../../../testing/dom-queries';
import { AuthStore } from '../../core/auth/auth-store';
import { FakeAuthStore } from '../../core/auth/testing/fake-auth-store';
import { User, WorkspaceRole } from '../../core/auth/user.model';
import { TeamPage } from './team-page';
import { Member } from './team.model';

const userWith = (role: WorkspaceRole): User => ({
  id: 1,
  email: 'ada@example.com',
  name: 'Ada',
  is_active: true,
  created_at: '2025-01-20T10:00:00Z',
  workspace: { id: 9, name: "Ada's workspace", role },
});

const MEMBERS: Member[] = [
  {
    user_id: 1,
    email: 'ada@example.com',
    name: 'Ada',
    role: 'owner',
    joined_at: '2025-01-20T10:00:00Z',
  },
  {
    user_id: 2,
    email: 'bob@example.com',
    name: 'Bob',
    role: 'agent',
    joined_at: '2025-01-21T10:00:00Z',
  },
];

describe(TeamPage.name, () => {
  let http: HttpTestingController;

  async function render(role: WorkspaceRole) {
    const auth = new FakeAuthStore();
    auth.settle('signed-in', userWith(role));
    TestBed.configureTestingModule({
      imports: [TeamPage],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: AuthStore, useValue: auth },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(TeamPage);
    http.expectOne('/api/workspace/members').flush(MEMBERS);
    await fixture.whenStable();
    return { fixture, root: fixture.nativeElement as HTMLElement };
  }

  afterEach(() => http.verify());

  it('lets an owner create an invite link and remove an agent', async () => {
    const { fixture, root } = await render('owner');
    http.expectOne('/api/workspace/invites').flush([]);
    await fixture.whenStable();
    expect(normalize(root.textContent)).toContain('bob@example.com');

    getButton(root, 'Create invite link').click();
    const create = http.expectOne({ method: 'POST', url: '/api/workspace/invites' });
    expect(create.request.body).toEqual({ role: 'agent', max_uses: 1 });
    create.flush({
      id: 5,
      role: 'agent',
      max_uses: 1,
      uses: 0,
      status: 'pending',
      revoked_at: null,
      expires_at: '2025-01-23T10:00:00Z',
      created_at: '2025-01-20T10:00:00Z',
      token: 'tok_abcdefghijklmnopqrstuvwxyz',
      path: '/invite/tok_abcdefghijklmnopqrstuvwxyz',
    });
    await fixture.whenStable();
    http.expectOne('/api/workspace/invites').flush([]);
    await fixture.whenStable();
    const link = root.querySelector<HTMLInputElement>('#invite-link');
    expect(link?.value).toContain('/invite/tok_abcdefghijklmnopqrstuvwxyz');

    getButton(root, 'Remove Bob').click();
    http.expectOne({ method: 'DELETE', url: '/api/workspace/members/2' }).flush(null);
    await fixture.whenStable();
    expect(normalize(root.textContent)).not.toContain('bob@example.com');
  });

  it('hides invites and member controls from agents', async () => {
    const { root } = await render('agent');
    expect(normalize(root.textContent)).toContain('bob@example.com');
    expect(queryButton(root, 'Create invite link')).toBeNull();
    expect(queryButton(root, 'Remove Bob')).toBeNull();
  });
});
