import { DOCUMENT, Injectable, inject } from '@angular/core';

import { TokenStorage } from './token-storage';

/**
 * Moves the app into another of the user's workspaces. Every store holds the old
 * workspace's data, so a full page load starts clean in the new one.
 */
@Injectable({ providedIn: 'root' })
export class WorkspaceSwitch {
  private readonly storage = inject(TokenStorage);
  private readonly document = inject(DOCUMENT);

  switchTo(workspaceId: number, url: string): void {
    this.storage.writeWorkspace(workspaceId);
    this.document.location.assign(url);
  }
}
