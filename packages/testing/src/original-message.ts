/**
 * @module
 */
import fc from "fast-check";
import { createMimeMessage } from "mimetext/browser";
import { formatRfc5322Date } from "@dsnkit/core";
import type { Frequency } from "./frequency.js";
import { optional, readFrequency } from "./frequency.js";
import { alnum } from "./internal/chars.js";
import { base64Lines, foldHeader } from "./internal/encode.js";
import { lines, words } from "./internal/words.js";
import { mailbox } from "./mailbox.js";

/**
 * Constraints of {@link originalMessage}.
 *
 * @example
 * const c: OriginalMessageConstraints = { unicode: false, attachments: "always" };
 */
export interface OriginalMessageConstraints {
  /**
   * Allow non-ASCII: encoded and raw UTF-8 (RFC 6532) Subjects, non-ASCII display names, 8-bit
   * UTF-8 bodies, and UTF-8 sender addresses. Default `true`. With `false` the message is 7-bit.
   */
  unicode?: boolean;
  /** How often the message has attachments (some over 50,000 octets). Default `"sometimes"`. */
  attachments?: boolean | Frequency;
  /** How often it carries DKIM-Signature, ARC-* and Authentication-Results headers. Default `"sometimes"`. */
  authenticationHeaders?: boolean | Frequency;
  /** How often it starts with a Return-Path (else the bounce goes to its From). Default `"sometimes"`. */
  returnPath?: boolean | Frequency;
}

const token = (min: number, max: number) => fc.string({ unit: alnum, minLength: min, maxLength: max });
const b64char = fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
const b64 = (min: number, max: number) => fc.string({ unit: b64char, minLength: min, maxLength: max });
const asciiHost = fc
  .tuple(fc.array(token(1, 10).map((s) => s.toLowerCase()), { minLength: 1, maxLength: 3 }), fc.constantFrom("com", "org", "net", "example"))
  .map(([ls, tld]) => [...ls, tld].join("."));
const seconds = fc.integer({ min: Date.UTC(2000, 0, 1) / 1000, max: Date.UTC(2040, 0, 1) / 1000 });

/** A folded DKIM-Signature like the ones big senders add: long bh= and b= values. */
const dkimSignature = fc
  .tuple(asciiHost, token(3, 12), seconds, b64(43, 43), b64(170, 344))
  .map(([d, s, t, bh, b]) => {
    let out = `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=${d};\r\n\ts=${s}; t=${t};\r\n\th=from:to:subject:date:message-id:mime-version:content-type;\r\n\tbh=${bh}=;\r\n\tb=`;
    for (let i = 0; i < b.length; i += 70) out += (i > 0 ? "\r\n\t " : "") + b.slice(i, i + 70);
    return out;
  });

/** An ARC set (RFC 8617) of instance 1 to 3: Seal, Message-Signature and Authentication-Results. */
const arcSet = fc
  .tuple(fc.integer({ min: 1, max: 3 }), asciiHost, token(3, 10), b64(86, 172), b64(86, 172))
  .map(([i, d, s, b1, b2]) => [
    `ARC-Seal: i=${i}; a=rsa-sha256; t=1795687200; cv=${i === 1 ? "none" : "pass"};\r\n        d=${d}; s=${s};\r\n        b=${b1.slice(0, 64)}\r\n         ${b1.slice(64)}`,
    `ARC-Message-Signature: i=${i}; a=rsa-sha256; c=relaxed/relaxed; d=${d}; s=${s};\r\n        h=from:to:subject:date:message-id; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\r\n        b=${b2.slice(0, 64)}\r\n         ${b2.slice(64)}`,
    `ARC-Authentication-Results: i=${i}; mx.${d};\r\n       dkim=pass header.i=@${d} header.s=${s};\r\n       spf=pass smtp.mailfrom=${d};\r\n       dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=${d}`,
  ]);

const authenticationResults = fc
  .tuple(asciiHost, asciiHost)
  .map(([mx, d]) => `Authentication-Results: ${mx};\r\n\tdkim=pass header.d=${d};\r\n\tspf=pass (${mx}: domain of bounces@${d} designates 192.0.2.7 as permitted sender) smtp.mailfrom=bounces@${d};\r\n\tdmarc=pass header.from=${d}`);

/** Received fields, newest first, folded the way MTAs fold them; each hop a few seconds after the Date. */
const received = fc.array(fc.tuple(asciiHost, asciiHost, fc.ipV4(), token(8, 16), fc.integer({ min: 0, max: 90 })), { minLength: 1, maxLength: 5 });

function receivedFields(hops: readonly [string, string, string, string, number][], date: number): string[] {
  let t = date;
  const out: string[] = [];
  for (const [by, from, ip, id, delay] of hops) {
    t += delay;
    out.unshift(`Received: from ${from} (${from} [${ip}])\r\n\tby ${by} (Postfix) with ESMTPS id ${id}\r\n\tfor <rcpt@${by}>; ${formatRfc5322Date(new Date(t * 1000))}`);
  }
  return out;
}

/** Optional header fields a mailing list or a mail client adds: long ones are folded. */
const extraHeaders = fc
  .record({
    listUnsubscribe: fc.option(fc.tuple(asciiHost, token(20, 60)), { nil: undefined }),
    references: fc.option(fc.array(fc.tuple(token(8, 30), asciiHost), { minLength: 1, maxLength: 12 }), { nil: undefined }),
    xMailer: fc.option(fc.constantFrom("Microsoft Outlook 16.0", "Apple Mail (2.3774)", "PHPMailer 6.9.1"), { nil: undefined }),
    longField: fc.option(words({ unicode: false, maxWords: 60, maxUnits: 600, maxWordOctets: 40 }), { nil: undefined }),
  })
  .map((h) => {
    const out: [string, string][] = [];
    if (h.listUnsubscribe) {
      const [d, t] = h.listUnsubscribe;
      out.push(["List-Unsubscribe", `<mailto:unsubscribe@${d}?subject=${t}>, <https://${d}/u/${t}>`]);
      out.push(["List-Id", `News <news.${d}>`]);
    }
    if (h.references) out.push(["References", foldHeader("", h.references.map(([l, d]) => `<${l}@${d}>`).join(" ")).slice(2)]);
    if (h.xMailer) out.push(["X-Mailer", h.xMailer]);
    if (h.longField) out.push(["X-Campaign-Description", foldHeader("", h.longField).slice(2)]);
    return out;
  });

type SubjectForm = "mimetext" | "plain" | "utf8";

interface Attachment {
  filename: string;
  contentType: string;
  bytes: Uint8Array;
  inline: boolean;
}

const attachment: fc.Arbitrary<Attachment> = fc
  .record({
    name: token(1, 12),
    kind: fc.constantFrom(["pdf", "application/pdf"], ["png", "image/png"], ["csv", "text/csv"], ["bin", "application/octet-stream"], ["ics", "text/calendar"]),
    seed: fc.uint8Array({ minLength: 1, maxLength: 64 }),
    size: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 3000 }), weight: 12 }, { arbitrary: fc.integer({ min: 50_000, max: 120_000 }), weight: 1 }),
    inline: fc.boolean(),
  })
  .map(({ name, kind, seed, size, inline }) => {
    const bytes = new Uint8Array(size);
    for (let i = 0; i < size; i++) bytes[i] = seed[i % seed.length]! ^ (i & 0xff);
    return { filename: `${name}.${kind[0]}`, contentType: kind[1], bytes, inline: inline && kind[1] === "image/png" };
  });

function settings(c: OriginalMessageConstraints) {
  const unicode = c.unicode ?? true;
  if (typeof unicode !== "boolean") throw new TypeError(`originalMessage: unicode must be a boolean, not ${JSON.stringify(unicode)}`);
  return {
    unicode,
    attachments: readFrequency("originalMessage: attachments", c.attachments, "sometimes"),
    authenticationHeaders: readFrequency("originalMessage: authenticationHeaders", c.authenticationHeaders, "sometimes"),
    returnPath: readFrequency("originalMessage: returnPath", c.returnPath, "sometimes"),
  };
}

/**
 * A message as the MTA that bounces it holds it: the raw text, the envelope sender (SMTP
 * `MAIL FROM`, the address the bounce goes to) and its Message-ID.
 *
 * @example
 * const m: ReceivedMessage = {
 *   raw: "Return-Path: <a@example.org>\r\nFrom: a@example.org\r\nMessage-ID: <1@example.org>\r\n\r\nhi\r\n",
 *   envelopeSender: "a@example.org",
 *   messageId: "<1@example.org>",
 * };
 */
export interface ReceivedMessage {
  /** The whole message, CRLF line ends. */
  raw: string;
  /** The envelope sender: the Return-Path's address when there is one, else the From's. */
  envelopeSender: string;
  /** The Message-ID, with its angle brackets. */
  messageId: string;
}

/**
 * Generates received messages: the raw original of {@link originalMessage} together with its
 * envelope sender and Message-ID, for properties that need to know where the bounce goes
 * without parsing the message.
 *
 * @param constraints - as for {@link originalMessage}.
 * @returns an arbitrary of {@link ReceivedMessage}.
 * @throws {TypeError} when a constraint has the wrong type.
 * @example
 * fc.assert(
 *   fc.property(sendBounceRequest(), receivedMessage(), (request, m) => {
 *     const { envelope } = renderBounce(request, { original: m.raw, originalSender: m.envelopeSender });
 *     return envelope.rcptTo[0] === m.envelopeSender;
 *   }),
 * );
 */
export function receivedMessage(constraints: OriginalMessageConstraints = {}): fc.Arbitrary<ReceivedMessage> {
  const s = settings(constraints);
  const address = mailbox({ unicode: s.unicode });
  const asciiAddress = mailbox({ unicode: false });
  const text = (maxUnits: number) => words({ unicode: s.unicode, maxWords: 30, maxUnits, maxWordOctets: 60 });
  const subjectForms: SubjectForm[] = s.unicode ? ["mimetext", "plain", "utf8"] : ["plain", "mimetext"];
  const bodyEncodings = s.unicode ? (["8bit", "base64", "7bit"] as const) : (["7bit", "base64"] as const);
  return fc
    .record({
      returnPath: optional(s.returnPath, address),
      from: fc.record({ address, name: fc.option(words({ unicode: s.unicode, maxWords: 3, maxUnits: 40, maxWordOctets: 20 }), { nil: undefined }) }),
      to: fc.array(fc.record({ address: asciiAddress, name: fc.option(text(30), { nil: undefined }) }), { minLength: 1, maxLength: 8 }),
      cc: fc.option(fc.array(asciiAddress, { minLength: 1, maxLength: 4 }), { nil: undefined }),
      subject: fc.record({
        ascii: words({ unicode: false, maxWords: 30, maxUnits: 200, maxWordOctets: 60 }),
        text: text(200),
        form: fc.constantFrom(...subjectForms),
      }),
      date: seconds,
      messageId: fc.tuple(token(8, 40), asciiHost),
      boundaries: fc.tuple(token(12, 24), token(12, 24), token(12, 24)),
      plain: fc.record({
        ascii: lines({ unicode: false, maxLines: 30, maxUnits: 4000, longLines: false }),
        text: lines({ unicode: s.unicode, maxLines: 30, maxUnits: 4000, longLines: false }),
        encoding: fc.constantFrom(...bodyEncodings),
      }),
      html: fc.boolean(),
      attachments: optional(s.attachments, fc.array(attachment, { minLength: 1, maxLength: 3 })),
      received,
      dkim: optional(s.authenticationHeaders, fc.array(dkimSignature, { minLength: 1, maxLength: 2 })),
      arc: optional(s.authenticationHeaders, arcSet),
      authResults: optional(s.authenticationHeaders, authenticationResults),
      extra: extraHeaders,
    })
    .map((m) => {
      const msg = createMimeMessage();
      // Fixed boundaries, Date and Message-ID: the same seed must give the same message.
      msg.boundaries = { mixed: `mixed_${m.boundaries[0]}`, alt: `alt_${m.boundaries[1]}`, related: `rel_${m.boundaries[2]}` };
      msg.setHeader("Date", formatRfc5322Date(new Date(m.date * 1000)));
      msg.setSender(m.from.name === undefined ? { addr: m.from.address } : { addr: m.from.address, name: m.from.name });
      msg.setTo(m.to.map((t) => (t.name === undefined ? { addr: t.address } : { addr: t.address, name: t.name })));
      if (m.cc !== undefined) msg.setCc(m.cc.map((addr) => ({ addr })));
      msg.setHeader("Message-ID", `<${m.messageId[0]}@${m.messageId[1]}>`);
      msg.setSubject(m.subject.form === "plain" ? m.subject.ascii : m.subject.text);
      if (m.subject.form !== "mimetext") {
        // Written as it is (folded when long) instead of mimetext's single encoded-word.
        const field = msg.headers.fields.find((f) => f.name === "Subject")!;
        field.dump = (v) => foldHeader("Subject", typeof v === "string" ? v : "").slice("Subject: ".length);
      }
      for (const [name, value] of m.extra) msg.setHeader(name, value);
      // A 7bit body is ASCII; 8bit and base64 bodies may hold UTF-8.
      const body = (m.plain.encoding === "7bit" ? m.plain.ascii : m.plain.text).replace(/\r\n|\r|\n/g, "\r\n");
      if (m.plain.encoding === "base64") msg.addMessage({ contentType: "text/plain", data: base64Lines(utf8(body)), encoding: "base64" });
      else msg.addMessage({ contentType: "text/plain", data: body, encoding: m.plain.encoding, charset: m.plain.encoding === "8bit" ? "utf-8" : "us-ascii" });
      if (m.html) {
        const html = `<html><body><p>${escapeHtml(body).replace(/\r\n/g, "<br>\r\n")}</p></body></html>`;
        msg.addMessage({ contentType: "text/html", data: base64Lines(utf8(html)), encoding: "base64" });
      }
      for (const a of m.attachments ?? []) {
        const opts = { filename: a.filename, contentType: a.contentType, data: base64Lines(a.bytes), encoding: "base64" as const };
        msg.addAttachment(a.inline ? { ...opts, inline: true, headers: { "Content-ID": `<${a.filename}@${m.messageId[1]}>` } } : opts);
      }
      let trace = "";
      if (m.returnPath !== undefined) trace += `Return-Path: <${m.returnPath}>\r\n`;
      for (const r of receivedFields(m.received, m.date)) trace += r + "\r\n";
      for (const a of m.arc ?? []) trace += a + "\r\n";
      if (m.authResults !== undefined) trace += m.authResults + "\r\n";
      for (const d of m.dkim ?? []) trace += d + "\r\n";
      return {
        raw: trace + msg.asRaw() + "\r\n",
        envelopeSender: m.returnPath ?? m.from.address,
        messageId: `<${m.messageId[0]}@${m.messageId[1]}>`,
      };
    });
}

/**
 * Generates raw original messages — the mail a bounce is about — built with mimetext (its
 * browser entry, so every line ends in CRLF): multipart/alternative text and HTML bodies,
 * attachments (inline images and files, some over 50,000 octets, base64 in 76-character lines),
 * 8-bit UTF-8 bodies, non-ASCII Subjects (RFC 2047 encoded-words or raw UTF-8), long folded
 * headers (References, Received, list headers), and the bulky DKIM-Signature, ARC-* and
 * Authentication-Results headers that a DSN generator must not let crowd out the identifying
 * ones. Trace headers (Return-Path, Received, ...) come first, as a receiving MTA writes them.
 *
 * Every message has a From, To, Subject, Date and Message-ID, no line over 998 octets, no NUL and
 * no bare CR or LF; `@dsnkit/core`'s `readOriginal` finds no malformed header line in it and
 * `originalSender` finds its sender (the Return-Path, else the From).
 *
 * @param constraints - unicode, and how often attachments, authentication headers and Return-Path appear.
 * @returns an arbitrary of raw messages (strings with CRLF line ends; non-ASCII as characters).
 * @throws {TypeError} when a constraint has the wrong type.
 * @example
 * fc.assert(
 *   fc.property(sendBounceRequest(), originalMessage(), (request, original) => {
 *     const { raw } = renderBounce(request, { original });
 *     return raw.includes("Content-Type: text/rfc822-headers") || raw.includes("Content-Type: message/global-headers");
 *   }),
 * );
 * fc.sample(originalMessage({ unicode: false, attachments: false, authenticationHeaders: false }), { numRuns: 1, seed: 1 })[0].slice(0, 60);
 * //=> e.g. "Date: Tue, 03 Mar 2015 07:21:04 +0000\r\nFrom: <k@x.example>\r\nTo: <"
 */
export function originalMessage(constraints: OriginalMessageConstraints = {}): fc.Arbitrary<string> {
  return receivedMessage(constraints).map((m) => m.raw);
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** UTF-8 bytes of `s`, without TextEncoder typing (this package compiles with no DOM or Node types). */
function utf8(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return Uint8Array.from(out);
}
