import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ActivatedRoute, convertToParamMap } from '@angular/router';

import { getButton, getByLabel, normalize, typeInto } from '../../../testing/dom-queries';
import { AuthStore } from '../../core/auth/auth-store';
import { FakeAuthStore } from '../../core/auth/testing/fake-auth-store';
import { WhatsappSettingsPage } from './whatsapp-settings-page';

describe(WhatsappSettingsPage.name, () => {
  async function render(query: Record<string, string> = {}) {
    const auth = new FakeAuthStore();
    auth.settle('signed-in', {
      id: 1,
      email: 'owner@example.com',
      name: 'Owner',
      is_active: true,
      created_at: '2026-01-20T10:00:00Z',
      workspace: { id: 1, name: 'Shop', role: 'owner' },
    });
    TestBed.configureTestingModule({
      imports: [WhatsappSettingsPage],
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: AuthStore, useValue: auth },
        {
          provide: ActivatedRoute,
          useValue: { snapshot: { queryParamMap: convertToParamMap(query) } },
        },
      ],
    });
    const fixture = TestBed.createComponent(WhatsappSettingsPage);
    const http = TestBed.inject(HttpTestingController);
    http.expectOne('/api/whatsapp/numbers').flush([]);
    await fixture.whenStable();
    return { fixture, http, root: fixture.nativeElement as HTMLElement };
  }

  it("fills in the phone number id the dashboard's notice links with", async () => {
    const { root } = await render({ phone_number_id: '190000000000003' });
    expect(getByLabel(root, 'Phone number ID').value).toBe('190000000000003');
  });

  it('ignores a phone number id that is not digits', async () => {
    const { root } = await render({ phone_number_id: '<b>x</b>' });
    expect(getByLabel(root, 'Phone number ID').value).toBe('');
  });

  it('says that earlier messages are on their way after connecting', async () => {
    const { fixture, http, root } = await render({ phone_number_id: '190000000000003' });
    typeInto(getByLabel(root, 'Business account ID'), '290000000000003');
    typeInto(getByLabel(root, 'Access token'), 'EAAG-token');
    typeInto(getByLabel(root, 'App secret'), 'app-secret');
    typeInto(getByLabel(root, 'Verify token'), 'verify-token');
    getButton(root, 'Add number').click();

    const create = http.expectOne({ method: 'POST', url: '/api/whatsapp/numbers' });
    expect(create.request.body).toMatchObject({ phone_number_id: '190000000000003' });
    create.flush({ id: 7, phone_number_id: '190000000000003' });
    await fixture.whenStable();
    http.expectOne('/api/whatsapp/numbers').flush([{ id: 7, phone_number_id: '190000000000003' }]);
    await fixture.whenStable();

    expect(normalize(root.querySelector('[role="status"]')?.textContent)).toBe(
      'Connected 190000000000003. Messages WhatsApp delivered for it earlier are being added to the inbox.',
    );
    http.verify();
  });
});
