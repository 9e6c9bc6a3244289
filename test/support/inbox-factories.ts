import { randomBytes } from 'node:crypto';
import type { TestApp } from './app.js';
import { createUser, type RegisteredUser } from './factories.js';
import { Contact } from '../../server/inbox/contact.entity.js';
import { Conversation } from '../../server/inbox/conversation.entity.js';
import { Message } from '../../server/inbox/message.entity.js';

// Inbox rows are written straight through the repositories: these tests are about the
// read API, and do not depend on the webhook path that normally creates them.

let counter = 0;
const unique = (): string => `${Date.now()}${++counter}${randomBytes(2).toString('hex')}`;

/** The workspace the user's requests act in. */
export async function workspaceOf(t: TestApp, user: RegisteredUser): Promise<number> {
  const me = await t.http.get('/api/auth/me').set(user.auth).expect(200);
  return (me.body as { workspace: { id: number } }).workspace.id;
}

/** A fresh user (with the workspace registration gives them) and that workspace's id. */
export async function createUserWithWorkspace(
  t: TestApp,
): Promise<{ user: RegisteredUser; workspaceId: number }> {
  const user = await createUser(t);
  return { user, workspaceId: await workspaceOf(t, user) };
}

export async function createContact(
  t: TestApp,
  workspaceId: number,
  overrides: Partial<Pick<Contact, 'waId' | 'name' | 'profileName'>> = {},
): Promise<Contact> {
  const digits = String(Math.floor(Math.random() * 1e9)).padStart(9, '0');
  return t.db.getRepository(Contact).save({
    workspaceId,
    waId: `1555${digits}`,
    name: 'Test Contact',
    profileName: 'Tester',
    ...overrides,
  });
}

export async function createConversation(
  t: TestApp,
  contact: Contact,
  overrides: Partial<Pick<Conversation, 'isActive' | 'startedAt' | 'lastMessageAt'>> = {},
): Promise<Conversation> {
  return t.db.getRepository(Conversation).save({
    workspaceId: contact.workspaceId,
    contactId: contact.id,
    ...overrides,
  });
}

export type MessageOverrides = Partial<
  Pick<
    Message,
    | 'messageType'
    | 'content'
    | 'isOutbound'
    | 'status'
    | 'timestamp'
    | 'mediaId'
    | 'waMessageId'
    | 'mimeType'
    | 'fileName'
    | 'replyToWaMessageId'
    | 'errorCode'
    | 'errorTitle'
  >
>;

/** A message in the conversation (inbound `received` text unless told otherwise). */
export async function createMessage(
  t: TestApp,
  conversation: Conversation,
  overrides: MessageOverrides = {},
): Promise<Message> {
  const outbound = overrides.isOutbound ?? false;
  return t.db.getRepository(Message).save({
    workspaceId: conversation.workspaceId,
    contactId: conversation.contactId,
    conversationId: conversation.id,
    waMessageId: `wamid.test${unique()}`,
    messageType: 'text',
    content: `message ${unique()}`,
    isOutbound: outbound,
    status: outbound ? 'sent' : 'received',
    timestamp: new Date(),
    rawData: { test: true },
    ...overrides,
  });
}

/** `count` messages stored one after another (oldest first), each with `overrides`. */
export async function createMessages(
  t: TestApp,
  conversation: Conversation,
  count: number,
  overrides: MessageOverrides = {},
): Promise<Message[]> {
  const out: Message[] = [];
  for (let i = 0; i < count; i++) {
    out.push(await createMessage(t, conversation, { content: `m${i}`, ...overrides }));
  }
  return out;
}
