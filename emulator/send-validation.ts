/**
 * Validation of POST /{phone-number-id}/messages bodies, following the Cloud API "messages"
 * reference: `messaging_product: "whatsapp"` is required, `type` defaults to "text", the object
 * named by `type` carries the content, and template sends must name an approved template whose
 * placeholders match the parameters given. Failures are Graph errors with Meta's codes.
 */
import { invalidParameter, whatsappError } from './errors.js';
import { placeholderCount, type MessageTemplate } from './fixtures.js';
import type { JsonObject } from './payloads.js';

export const OUTBOUND_TYPES = [
  'text',
  'template',
  'image',
  'video',
  'audio',
  'document',
  'sticker',
  'reaction',
  'location',
  'contacts',
  'interactive',
] as const;
export type OutboundType = (typeof OUTBOUND_TYPES)[number];

const MEDIA_TYPES = new Set<OutboundType>(['image', 'video', 'audio', 'document', 'sticker']);
const CAPTIONED = new Set<OutboundType>(['image', 'video', 'document']);
const INTERACTIVE_TYPES = [
  'button',
  'list',
  'cta_url',
  'flow',
  'product',
  'product_list',
  'catalog_message',
  'location_request_message',
  'address_message',
] as const;

export type ValidatedSend =
  | { kind: 'read'; messageId: string; typingIndicator: boolean }
  | {
      kind: 'message';
      to: string;
      /** `to` normalised to digits, what Meta returns as `contacts[0].wa_id`. */
      waId: string;
      type: OutboundType;
      body: JsonObject;
      /** Media ids referenced by the message (checked against the media store by the caller). */
      mediaIds: string[];
      template?: MessageTemplate;
    };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** For error messages: strings as-is, anything else as JSON. */
function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

class Checker {
  constructor(private readonly traceId: string) {}

  fail(details: string): never {
    throw invalidParameter(details, this.traceId);
  }

  required(value: unknown, name: string): asserts value {
    if (value === undefined || value === null || value === '') {
      this.fail(`The parameter ${name} is required.`);
    }
  }

  object(value: unknown, name: string): JsonObject {
    this.required(value, name);
    if (!isObject(value)) {
      this.fail(`Param ${name} must be a JSON object.`);
    }
    return value;
  }

  string(value: unknown, name: string, maxLength?: number): string {
    this.required(value, name);
    if (typeof value !== 'string') {
      this.fail(`Param ${name} must be a string.`);
    }
    if (maxLength !== undefined && value.length > maxLength) {
      this.fail(`Param ${name} must be at most ${maxLength} characters long.`);
    }
    return value;
  }

  optionalString(value: unknown, name: string, maxLength: number): void {
    if (value !== undefined) {
      this.string(value, name, maxLength);
    }
  }
}

export function normaliseRecipient(to: string): string {
  return to.replace(/[\s\-()+.]/g, '');
}

export function validateSend(
  body: unknown,
  templates: MessageTemplate[],
  traceId: string,
): ValidatedSend {
  const check: Checker = new Checker(traceId);
  if (!isObject(body)) {
    check.fail('The request body must be a JSON object.');
  }
  const product = body.messaging_product;
  check.required(product, 'messaging_product');
  if (product !== 'whatsapp') {
    check.fail(`Param messaging_product must be one of {WHATSAPP} - got "${shown(product)}".`);
  }

  if (body.status !== undefined) {
    // Read receipts (and typing indicators) share the endpoint: {status:"read", message_id}.
    if (body.status !== 'read') {
      check.fail(`Param status must be one of {READ} - got "${shown(body.status)}".`);
    }
    const messageId = check.string(body.message_id, 'message_id');
    const typing = body.typing_indicator;
    if (typing !== undefined && !(isObject(typing) && typing.type === 'text')) {
      check.fail("Param typing_indicator['type'] must be one of {TEXT}.");
    }
    return { kind: 'read', messageId, typingIndicator: typing !== undefined };
  }

  if (
    body.recipient_type !== undefined &&
    body.recipient_type !== 'individual' &&
    body.recipient_type !== 'group'
  ) {
    check.fail(
      `Param recipient_type must be one of {INDIVIDUAL, GROUP} - got "${shown(body.recipient_type)}".`,
    );
  }
  const to = check.string(body.to, 'to');
  const waId = normaliseRecipient(to);
  if (!/^\d{5,20}$/.test(waId)) {
    check.fail(`Param to must be a phone number or WhatsApp ID - got "${to}".`);
  }

  // Meta documents `type` as optional with "text" as the default.
  const type = body.type ?? 'text';
  if (typeof type !== 'string' || !(OUTBOUND_TYPES as readonly string[]).includes(type)) {
    check.fail(
      `Param type must be one of {${OUTBOUND_TYPES.map((t) => t.toUpperCase()).join(', ')}} - got "${shown(type)}".`,
    );
  }
  const outboundType = type as OutboundType;

  if (body.context !== undefined) {
    const context = check.object(body.context, 'context');
    check.string(context.message_id, "context['message_id']");
  }
  check.optionalString(body.biz_opaque_callback_data, 'biz_opaque_callback_data', 512);

  const mediaIds: string[] = [];
  let template: MessageTemplate | undefined;
  if (outboundType === 'contacts') {
    validateContacts(body.contacts, check);
  } else {
    const content = check.object(body[outboundType], outboundType);
    if (outboundType === 'text') {
      check.string(content.body, "text['body']", 4096);
      if (content.preview_url !== undefined && typeof content.preview_url !== 'boolean') {
        check.fail("Param text['preview_url'] must be a boolean.");
      }
    } else if (MEDIA_TYPES.has(outboundType)) {
      const id = validateMedia(outboundType, content, check);
      if (id) {
        mediaIds.push(id);
      }
    } else if (outboundType === 'template') {
      template = validateTemplate(content, templates, check, traceId);
    } else if (outboundType === 'reaction') {
      check.string(content.message_id, "reaction['message_id']");
      // An empty string removes a reaction, so only the type is checked.
      if (typeof content.emoji !== 'string') {
        check.fail("The parameter reaction['emoji'] is required.");
      }
    } else if (outboundType === 'location') {
      validateCoordinate(content.latitude, "location['latitude']", 90, check);
      validateCoordinate(content.longitude, "location['longitude']", 180, check);
    } else {
      validateInteractive(content, check);
    }
  }
  return {
    kind: 'message',
    to,
    waId,
    type: outboundType,
    body,
    mediaIds,
    ...(template ? { template } : {}),
  };
}

function validateMedia(
  type: OutboundType,
  content: JsonObject,
  check: Checker,
): string | undefined {
  const hasId = content.id !== undefined;
  const hasLink = content.link !== undefined;
  if (hasId === hasLink) {
    check.fail(`Param ${type} must contain exactly one of id or link.`);
  }
  if (hasLink) {
    const link = check.string(content.link, `${type}['link']`);
    if (!/^https?:\/\/\S+$/i.test(link)) {
      check.fail(`Param ${type}['link'] must be a valid http(s) URL.`);
    }
  }
  if (content.caption !== undefined) {
    if (!CAPTIONED.has(type)) {
      check.fail(`Param ${type}['caption'] is not supported for ${type} messages.`);
    }
    check.string(content.caption, `${type}['caption']`, 1024);
  }
  if (type === 'document') {
    check.optionalString(content.filename, "document['filename']", 240);
  }
  return hasId ? check.string(content.id, `${type}['id']`) : undefined;
}

function validateCoordinate(value: unknown, name: string, limit: number, check: Checker): void {
  check.required(value, name);
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || Math.abs(number) > limit) {
    check.fail(`Param ${name} must be a number between -${limit} and ${limit}.`);
  }
}

function validateContacts(value: unknown, check: Checker): void {
  check.required(value, 'contacts');
  if (!Array.isArray(value) || value.length === 0) {
    check.fail('Param contacts must be a non-empty array.');
  }
  value.forEach((contact: unknown, index) => {
    const entry = check.object(contact, `contacts[${index}]`);
    const name = check.object(entry.name, `contacts[${index}]['name']`);
    check.string(name.formatted_name, `contacts[${index}]['name']['formatted_name']`);
  });
}

function validateInteractive(content: JsonObject, check: Checker): void {
  const type = check.string(content.type, "interactive['type']");
  if (!(INTERACTIVE_TYPES as readonly string[]).includes(type)) {
    check.fail(
      `Param interactive['type'] must be one of {${INTERACTIVE_TYPES.join(', ')}} - got "${type}".`,
    );
  }
  const action = check.object(content.action, "interactive['action']");
  if (type === 'button' || type === 'list' || type === 'cta_url' || type === 'flow') {
    const bodyPart = check.object(content.body, "interactive['body']");
    check.string(bodyPart.text, "interactive['body']['text']", 1024);
  }
  if (type === 'button') {
    const buttons = action.buttons;
    if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 3) {
      check.fail("Param interactive['action']['buttons'] must have between 1 and 3 buttons.");
    }
    buttons.forEach((button: unknown, index) => {
      const reply = check.object(
        check.object(button, `buttons[${index}]`).reply,
        `buttons[${index}]['reply']`,
      );
      check.string(reply.id, `buttons[${index}]['reply']['id']`, 256);
      check.string(reply.title, `buttons[${index}]['reply']['title']`, 20);
    });
  } else if (type === 'list') {
    check.string(action.button, "interactive['action']['button']", 20);
    const sections = action.sections;
    if (!Array.isArray(sections) || sections.length < 1 || sections.length > 10) {
      check.fail("Param interactive['action']['sections'] must have between 1 and 10 sections.");
    }
    sections.forEach((section: unknown, index) => {
      const rows = check.object(section, `sections[${index}]`).rows;
      if (!Array.isArray(rows) || rows.length === 0) {
        check.fail(`Param sections[${index}]['rows'] must be a non-empty array.`);
      }
    });
  } else if (type === 'cta_url') {
    const parameters = check.object(action.parameters, "interactive['action']['parameters']");
    check.string(parameters.display_text, "action['parameters']['display_text']", 20);
    check.string(parameters.url, "action['parameters']['url']");
  }
}

function validateTemplate(
  content: JsonObject,
  templates: MessageTemplate[],
  check: Checker,
  traceId: string,
): MessageTemplate {
  const name = check.string(content.name, "template['name']");
  const language = check.object(content.language, "template['language']");
  const code = check.string(language.code, "template['language']['code']");
  const template = templates.find(
    (candidate) => candidate.name === name && candidate.language === code,
  );
  if (!template || template.status !== 'APPROVED') {
    const details = template
      ? `template name (${name}) is ${template.status.toLowerCase()} in ${code}`
      : `template name (${name}) does not exist in ${code}`;
    throw whatsappError(132001, { details, fbtraceId: traceId });
  }
  const components = content.components === undefined ? [] : content.components;
  if (!Array.isArray(components)) {
    check.fail("Param template['components'] must be an array.");
  }
  const given = (part: 'header' | 'body'): JsonObject[] => {
    const component = components.find(
      (entry: unknown) => isObject(entry) && String(entry.type).toLowerCase() === part,
    ) as JsonObject | undefined;
    return Array.isArray(component?.parameters) ? (component.parameters as JsonObject[]) : [];
  };
  for (const part of ['header', 'body'] as const) {
    const definition = template.components.find(
      (component) => component.type === part.toUpperCase(),
    );
    if (!definition) {
      continue;
    }
    const parameters = given(part);
    if (definition.format && definition.format !== 'TEXT') {
      const mediaType = definition.format.toLowerCase();
      if (!parameters.some((parameter) => parameter.type === mediaType)) {
        throw whatsappError(132012, {
          details: `header: Format mismatch, expected ${definition.format}, received ${shown(parameters[0]?.type ?? 'UNKNOWN').toUpperCase()}`,
          fbtraceId: traceId,
        });
      }
      continue;
    }
    const expected = placeholderCount(definition.text);
    if (parameters.length !== expected) {
      throw whatsappError(132000, {
        details: `${part}: number of localizable_params (${parameters.length}) does not match the expected number of params (${expected})`,
        fbtraceId: traceId,
      });
    }
  }
  return template;
}
