/**
 * Seed data the emulator answers with: message templates, the business profile and the phone
 * number record. Field names follow the Graph API responses for
 * GET /{waba-id}/message_templates, GET /{phone-number-id}/whatsapp_business_profile and
 * GET /{phone-number-id}.
 */

export interface TemplateComponent {
  type: 'HEADER' | 'BODY' | 'FOOTER' | 'BUTTONS';
  format?: 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT' | 'LOCATION';
  text?: string;
  example?: Record<string, unknown>;
  buttons?: Array<Record<string, unknown>>;
}

export interface MessageTemplate {
  id: string;
  name: string;
  language: string;
  status: 'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED' | 'DISABLED';
  category: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
  parameter_format?: 'POSITIONAL' | 'NAMED';
  components: TemplateComponent[];
}

export function defaultTemplates(): MessageTemplate[] {
  return [
    {
      id: '1192034215573560',
      name: 'hello_world',
      language: 'en_US',
      status: 'APPROVED',
      category: 'UTILITY',
      parameter_format: 'POSITIONAL',
      components: [
        { type: 'HEADER', format: 'TEXT', text: 'Hello World' },
        {
          type: 'BODY',
          text: 'Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification from the Cloud API, hosted by Meta. Thank you for taking the time to test with us.',
        },
        { type: 'FOOTER', text: 'WhatsApp Business Platform sample message' },
      ],
    },
    {
      id: '1421375658519462',
      name: 'order_update',
      language: 'en_US',
      status: 'APPROVED',
      category: 'UTILITY',
      parameter_format: 'POSITIONAL',
      components: [
        {
          type: 'BODY',
          text: 'Good news! Your order {{1}} has shipped and is on its way.',
          example: { body_text: [['#10042']] },
        },
        { type: 'FOOTER', text: 'Reply STOP to opt out' },
      ],
    },
    {
      id: '1421375658519463',
      name: 'order_update',
      language: 'pt_BR',
      status: 'APPROVED',
      category: 'UTILITY',
      parameter_format: 'POSITIONAL',
      components: [
        {
          type: 'BODY',
          text: 'Boa notícia! O seu pedido {{1}} foi enviado e está a caminho.',
          example: { body_text: [['#10042']] },
        },
      ],
    },
    {
      id: '980275613402917',
      name: 'appointment_reminder',
      language: 'en_US',
      status: 'APPROVED',
      category: 'UTILITY',
      parameter_format: 'POSITIONAL',
      components: [
        {
          type: 'BODY',
          text: 'Hi {{1}}, this is a reminder of your appointment on {{2}}. Will you attend?',
          example: { body_text: [['Pablo', 'May 4 at 10:00']] },
        },
        {
          type: 'BUTTONS',
          buttons: [
            { type: 'QUICK_REPLY', text: 'Yes' },
            { type: 'QUICK_REPLY', text: 'No' },
          ],
        },
      ],
    },
    {
      id: '774521367012845',
      name: 'spring_sale',
      language: 'en_US',
      status: 'APPROVED',
      category: 'MARKETING',
      parameter_format: 'POSITIONAL',
      components: [
        {
          type: 'HEADER',
          format: 'IMAGE',
          example: { header_handle: ['https://scontent.whatsapp.net/v/t61.29466-34/sale.jpg'] },
        },
        {
          type: 'BODY',
          text: 'Our spring sale starts today: {{1}} off everything in store.',
          example: { body_text: [['20%']] },
        },
        {
          type: 'BUTTONS',
          buttons: [{ type: 'URL', text: 'Shop now', url: 'https://www.luckyshrub.com/sale' }],
        },
      ],
    },
    {
      id: '607113458902214',
      name: 'verification_code',
      language: 'en_US',
      status: 'APPROVED',
      category: 'AUTHENTICATION',
      components: [
        {
          type: 'BODY',
          text: '*{{1}}* is your verification code.',
          example: { body_text: [['123456']] },
        },
        { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code' }] },
      ],
    },
    {
      id: '531906724188390',
      name: 'winter_promo',
      language: 'en_US',
      status: 'PENDING',
      category: 'MARKETING',
      components: [{ type: 'BODY', text: 'Winter is coming: warm plants for cold days.' }],
    },
  ];
}

/** Count of `{{n}}` / `{{name}}` placeholders in a template component's text. */
export function placeholderCount(text: string | undefined): number {
  return text ? (text.match(/\{\{\s*[\w]+\s*\}\}/g) ?? []).length : 0;
}

export interface BusinessProfile {
  about: string;
  address: string;
  description: string;
  email: string;
  profile_picture_url: string;
  websites: string[];
  vertical: string;
}

export function defaultBusinessProfile(): BusinessProfile {
  return {
    about: 'Fresh plants, delivered.',
    address: '1 Hacker Way, Menlo Park, CA 94025',
    description: 'Lucky Shrub sells houseplants and garden supplies online.',
    email: 'hello@luckyshrub.example',
    profile_picture_url: 'https://pps.whatsapp.net/v/t61.24694-24/lucky-shrub.jpg',
    websites: ['https://www.luckyshrub.com'],
    vertical: 'RETAIL',
  };
}

export interface PhoneNumberInfo {
  id: string;
  display_phone_number: string;
  verified_name: string;
  code_verification_status: string;
  quality_rating: 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN';
  platform_type: string;
  throughput: { level: string };
  status: string;
  name_status: string;
  messaging_limit_tier: string;
}

export function phoneNumberInfo(
  id: string,
  displayPhoneNumber: string,
  verifiedName: string,
): PhoneNumberInfo {
  return {
    id,
    display_phone_number: displayPhoneNumber,
    verified_name: verifiedName,
    code_verification_status: 'VERIFIED',
    quality_rating: 'GREEN',
    platform_type: 'CLOUD_API',
    throughput: { level: 'STANDARD' },
    status: 'CONNECTED',
    name_status: 'APPROVED',
    messaging_limit_tier: 'TIER_1K',
  };
}

/** Graph's `?fields=a,b` projection; `id` is always returned. */
export function pickFields<T extends object>(record: T, fields: string | null): Partial<T> {
  if (!fields) {
    return record;
  }
  const wanted = new Set(
    fields
      .split(',')
      .map((field) => field.trim())
      .filter(Boolean),
  );
  wanted.add('id');
  return Object.fromEntries(
    Object.entries(record).filter(([key]) => wanted.has(key)),
  ) as Partial<T>;
}
