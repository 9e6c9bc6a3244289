import { Routes } from '@angular/router';

import { ConversationThread } from './conversation-thread';
import { InboxPage } from './inbox-page';
import { NoConversation } from './no-conversation';

/** Lazy routes of the inbox feature, mounted at `/inbox` behind authGuard. */
export const inboxRoutes: Routes = [
  {
    path: '',
    component: InboxPage,
    children: [
      { path: '', title: 'Inbox · No Lose', component: NoConversation },
      { path: ':conversationId', title: 'Conversation · No Lose', component: ConversationThread },
    ],
  },
];
