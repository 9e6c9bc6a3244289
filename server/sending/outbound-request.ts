import type { MessageKind, SendMessageDto } from './dto/send-message.dto.js';

/** The Graph API body of POST /{phone-number-id}/messages (Cloud API "messages" reference). */
export interface GraphSendRequest {
  messaging_product: 'whatsapp';
  recipient_type: 'individual';
  to: string;
  type: string;
  context?: { message_id: string };
  [content: string]: unknown;
}

/** What the inbox stores about the outbound message, and what the queue sends. */
export interface OutboundMessage {
  messageType: string;
  content: string | null;
  mediaId: string | null;
  mediaUrl: string | null;
  fileName: string | null;
  replyToWaMessageId: string | null;
  request: GraphSendRequest;
}

export interface ResolvedReferences {
  /** wamid of `reply_to_message_id`. */
  replyTo?: string;
  /** wamid of `reaction.message_id`. */
  reactTo?: string;
}

interface TemplateParameter {
  type?: unknown;
  text?: unknown;
}

/** "Template order_update (en_US): #10042" — what the inbox shows for a template. */
function templateContent(
  name: string,
  language: string,
  components: Record<string, unknown>[] = [],
): string {
  const values = components
    .flatMap((c) => (Array.isArray(c.parameters) ? (c.parameters as TemplateParameter[]) : []))
    .filter((p) => p.type === 'text' && typeof p.text === 'string')
    .map((p) => p.text as string);
  const head = `Template ${name} (${language})`;
  return values.length > 0 ? `${head}: ${values.join(', ')}` : head;
}

/**
 * Turns a validated send into the Graph request and the inbox's record of it. Pure, so the
 * exact bytes Meta will get are decided (and stored) when the operator presses send.
 */
export function buildOutbound(
  kind: MessageKind,
  dto: SendMessageDto,
  to: string,
  refs: ResolvedReferences,
): OutboundMessage {
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to } as const;
  const context = refs.replyTo ? { context: { message_id: refs.replyTo } } : {};
  const replyToWaMessageId = refs.replyTo ?? null;
  const none = { mediaId: null, mediaUrl: null, fileName: null };
  switch (kind) {
    case 'text': {
      const body = dto.text as string;
      return {
        messageType: 'text',
        content: body,
        ...none,
        replyToWaMessageId,
        // Meta renders a link preview only when asked to.
        request: {
          ...base,
          ...context,
          type: 'text',
          text: { body, preview_url: /https?:\/\/\S/.test(body) },
        },
      };
    }
    case 'template': {
      const t = dto.template as NonNullable<SendMessageDto['template']>;
      return {
        messageType: 'template',
        content: templateContent(t.name, t.language, t.components),
        ...none,
        replyToWaMessageId,
        request: {
          ...base,
          ...context,
          type: 'template',
          template: {
            name: t.name,
            language: { code: t.language },
            ...(t.components ? { components: t.components } : {}),
          },
        },
      };
    }
    case 'media': {
      const m = dto.media as NonNullable<SendMessageDto['media']>;
      const media = {
        ...(m.id !== undefined ? { id: m.id } : { link: m.link }),
        ...(m.caption !== undefined ? { caption: m.caption } : {}),
        ...(m.filename !== undefined ? { filename: m.filename } : {}),
      };
      return {
        messageType: m.type,
        content: m.caption ?? m.filename ?? null,
        mediaId: m.id ?? null,
        mediaUrl: m.link ?? null,
        fileName: m.filename ?? null,
        replyToWaMessageId,
        request: { ...base, ...context, type: m.type, [m.type]: media },
      };
    }
    case 'reaction': {
      const r = dto.reaction as NonNullable<SendMessageDto['reaction']>;
      return {
        messageType: 'reaction',
        content: r.emoji,
        ...none,
        replyToWaMessageId: refs.reactTo ?? null,
        request: {
          ...base,
          type: 'reaction',
          reaction: { message_id: refs.reactTo, emoji: r.emoji },
        },
      };
    }
  }
}
