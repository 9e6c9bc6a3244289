import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';

import { CurrentWorkspace } from '../../core/auth/user.model';
import { CreatedInvite, Invite, InvitePreview, Member } from './team.model';

/** Typed calls behind the Team page. */
@Injectable({ providedIn: 'root' })
export class TeamApi {
  private readonly http = inject(HttpClient);

  members(): Observable<Member[]> {
    return this.http.get<Member[]>('/api/workspace/members');
  }

  changeRole(userId: number, role: 'admin' | 'agent'): Observable<Member> {
    return this.http.patch<Member>(`/api/workspace/members/${userId}`, { role });
  }

  removeMember(userId: number): Observable<void> {
    return this.http.delete<void>(`/api/workspace/members/${userId}`);
  }

  invites(): Observable<Invite[]> {
    return this.http.get<Invite[]>('/api/workspace/invites');
  }

  createInvite(role: 'admin' | 'agent', maxUses: number): Observable<CreatedInvite> {
    return this.http.post<CreatedInvite>('/api/workspace/invites', { role, max_uses: maxUses });
  }

  revokeInvite(id: number): Observable<void> {
    return this.http.delete<void>(`/api/workspace/invites/${id}`);
  }

  previewInvite(token: string): Observable<InvitePreview> {
    return this.http.get<InvitePreview>(`/api/invites/${encodeURIComponent(token)}`);
  }

  /** Joins the invite's workspace as the signed-in user; answers that workspace. */
  acceptInvite(token: string): Observable<CurrentWorkspace> {
    return this.http.post<CurrentWorkspace>(`/api/invites/${encodeURIComponent(token)}/accept`, {});
  }
}
