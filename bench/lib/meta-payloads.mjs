// Signed Meta webhook bodies for the bench: unique customer messages (one per POST or a
// batch per POST) and delivery statuses of outbound messages. Bodies are built with string
// templates, not JSON.stringify, so the load generator stays cheap (about 4 µs per body with
// its HMAC on the development machine); every value is ASCII digits or fixed words, so no
// escaping is needed. Shapes follow emulator/payloads.ts (Meta's webhook reference).
import { createHmac } from 'node:crypto';

/** Customers of the ingest phases: wa_id 4470xxxxxxxx (12 digits, like a real number). */
export function ingestContactWaId(k) {
  return '4470' + String(k).padStart(8, '0');
}

/** Customers the outbound messages of the status phase were sent to. */
export function outboundContactWaId(k) {
  return '4472' + String(k).padStart(8, '0');
}

/** wamid of ingest message `idx` of phase `phase` in run `tag`. */
export function inboundWamid(tag, phase, idx) {
  return `wamid.BENCH${tag}.${phase}.${idx}`;
}

/** Parses inboundWamid(); null for anything else. */
export function parseInboundWamid(tag, wamid) {
  const prefix = `wamid.BENCH${tag}.`;
  if (typeof wamid !== 'string' || !wamid.startsWith(prefix)) return null;
  const rest = wamid.slice(prefix.length);
  const dot = rest.lastIndexOf('.');
  if (dot <= 0) return null;
  const idx = Number(rest.slice(dot + 1));
  return Number.isSafeInteger(idx) ? { phase: rest.slice(0, dot), idx } : null;
}

export function outboundWamidPrefix(tag) {
  return `wamid.BENCHOUT${tag}.`;
}

export function outboundWamid(tag, m) {
  return outboundWamidPrefix(tag) + m;
}

export function sign(appSecret, body) {
  return 'sha256=' + createHmac('sha256', appSecret).update(body).digest('hex');
}

function envelope(number, value) {
  return (
    `{"object":"whatsapp_business_account","entry":[{"id":"${number.wabaId}","changes":[{"value":` +
    `{"messaging_product":"whatsapp","metadata":{"display_phone_number":"${number.displayPhoneNumber}",` +
    `"phone_number_id":"${number.phoneNumberId}"},${value}},"field":"messages"}]}]}`
  );
}

function textMessage(from, wamid, timestamp, text) {
  return `{"from":"${from}","id":"${wamid}","timestamp":"${timestamp}","type":"text","text":{"body":"${text}"}}`;
}

function contact(waId) {
  return `{"profile":{"name":"Bench Customer ${waId.slice(-5)}"},"wa_id":"${waId}"}`;
}

/**
 * Builds the bodies of one phase. `kind`:
 * - `single`: request i carries message i, from customer i mod contacts;
 * - `batch`: request i carries messages i*batchSize … i*batchSize+batchSize-1, each from
 *   its own customer (one `contacts[]` entry per message, as Meta sends them);
 * - `status`: request i carries one status: message i mod outboundCount gets round
 *   floor(i / outboundCount) (sent, delivered, read). Events past the third round repeat
 *   `read`, i.e. they are redeliveries.
 * Returns `{ messagesPer(i), body(i) }`; body(i) is a Buffer.
 */
export function phaseBodies(spec) {
  const {
    kind,
    tag,
    phase,
    number,
    contacts,
    batchSize = 50,
    outboundCount,
    outboundContacts,
  } = spec;
  const timestamp = String(Math.floor((spec.timestampMs ?? Date.now()) / 1000));
  if (kind === 'single') {
    return {
      messagesPer: 1,
      body(i) {
        const from = ingestContactWaId(i % contacts);
        const message = textMessage(
          from,
          inboundWamid(tag, phase, i),
          timestamp,
          `Bench message ${i}`,
        );
        return Buffer.from(
          envelope(number, `"contacts":[${contact(from)}],"messages":[${message}]`),
        );
      },
    };
  }
  if (kind === 'batch') {
    return {
      messagesPer: batchSize,
      body(i) {
        const people = [];
        const messages = [];
        for (let j = 0; j < batchSize; j++) {
          const idx = i * batchSize + j;
          const from = ingestContactWaId(idx % contacts);
          people.push(contact(from));
          messages.push(
            textMessage(from, inboundWamid(tag, phase, idx), timestamp, `Bench message ${idx}`),
          );
        }
        return Buffer.from(
          envelope(number, `"contacts":[${people.join(',')}],"messages":[${messages.join(',')}]`),
        );
      },
    };
  }
  if (kind === 'status') {
    const statuses = ['sent', 'delivered', 'read'];
    return {
      messagesPer: 1,
      body(i) {
        const m = i % outboundCount;
        const round = Math.min(2, Math.floor(i / outboundCount));
        const status = statuses[round];
        // Distinct timestamps per round: Meta's (wamid, status, timestamp) identifies an event.
        const ts = String(Number(timestamp) + round);
        const pricing =
          status === 'sent'
            ? `,"pricing":{"billable":true,"pricing_model":"PMP","type":"regular","category":"utility"}`
            : '';
        const entry =
          `{"id":"${outboundWamid(tag, m)}","status":"${status}","timestamp":"${ts}",` +
          `"recipient_id":"${outboundContactWaId(m % outboundContacts)}"${pricing}}`;
        return Buffer.from(envelope(number, `"statuses":[${entry}]`));
      },
    };
  }
  throw new Error(`Unknown phase kind ${kind}`);
}

/**
 * Expected final status counts after status events 0..events-1 were all applied
 * (statuses only move forward: pending → sent → delivered → read).
 */
export function expectedStatusCounts(events, outboundCount) {
  const reached = (round) => Math.max(0, Math.min(outboundCount, events - round * outboundCount));
  return {
    pending: outboundCount - reached(0),
    sent: reached(0) - reached(1),
    delivered: reached(1) - reached(2),
    read: reached(2),
  };
}
