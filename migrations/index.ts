// The ordered list of every migration. Imported explicitly (not globbed) so the same list
// works from TypeScript sources under Jest and from the compiled build.
// `npm run migration:generate -- <name>` / `migration:create` append new ones here.
import { InitialSchema1764000000000 } from './1764000000000-initial-schema.js';
import { CreateEvents1764000001000 } from './1764000001000-create-events.js';
import { WebhookIngestion1764000100000 } from './1764000100000-webhook-ingestion.js';
import { InboxReadStateAndIndexes1764000200000 } from './1764000200000-inbox-read-state-and-indexes.js';
import { OutboundQueueAndMedia1764000300000 } from './1764000300000-outbound-queue-and-media.js';
import { RateLimits1764000400000 } from './1764000400000-rate-limits.js';
import { TeamInvitesAndNumbers1764000500000 } from './1764000500000-team-invites-and-numbers.js';
import { MessageCountRollups1764000600000 } from './1764000600000-message-count-rollups.js';
import { MessageCountShardPerTransaction1764000700000 } from './1764000700000-message-count-shard-per-transaction.js';
import { ConversationAssignee1764000800000 } from './1764000800000-conversation-assignee.js';
import { MessageSender1764000900000 } from './1764000900000-message-sender.js';
import { ConversationNotes1764001000000 } from './1764001000000-conversation-notes.js';

export const migrations = [
  InitialSchema1764000000000,
  CreateEvents1764000001000,
  WebhookIngestion1764000100000,
  InboxReadStateAndIndexes1764000200000,
  OutboundQueueAndMedia1764000300000,
  RateLimits1764000400000,
  TeamInvitesAndNumbers1764000500000,
  MessageCountRollups1764000600000,
  MessageCountShardPerTransaction1764000700000,
  ConversationAssignee1764000800000,
  MessageSender1764000900000,
  ConversationNotes1764001000000,
];
