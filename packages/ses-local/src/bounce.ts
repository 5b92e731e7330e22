/**
 * The bounce ses-local sends: rendered by `@dsnkit/core` in SES's layout (the `ses` render
 * profile) with the fields SES's outbound servers add, or in dsnkit's RFC-clean layout when the
 * `renderProfile` setting says `default`. Every bounce ses-local makes (SendBounce, a receipt
 * rule's Bounce action) is rendered here.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { isIP } from "node:net";
import { firstAddress, renderBounce } from "@dsnkit/core";
import type { SendBounceRequest } from "@dsnkit/core";
import { originalHeaderBlock } from "./original.js";
import type { StoredMessage } from "./store.js";

/**
 * The layouts ses-local can write its bounces in: `ses`, what SES sends (the default), or
 * `default`, dsnkit's RFC-clean layout.
 *
 * @example
 * const profile: SesLocalRenderProfile = "ses";
 */
export type SesLocalRenderProfile = "ses" | "default";

/**
 * What {@link renderSesBounce} needs of the emulator.
 *
 * @example
 * const ctx: SesBounceContext = { clock: () => new Date(), newId: sesMessageIdSequence(), renderProfile: "ses", ownAddress: "127.0.0.1" };
 */
export interface SesBounceContext {
  /** The emulator's clock: the bounce's Date. */
  clock: () => Date;
  /** Makes a new SES message id for a time: the bounce's id. */
  newId: (at: Date) => string;
  /** The layout of the bounce. */
  renderProfile: SesLocalRenderProfile;
  /** ses-local's own address, written in X-SES-Outgoing as SES writes its sending IP. */
  ownAddress: string;
}

/**
 * A bounce ses-local has rendered.
 *
 * @example
 * const { bounceId, raw, to } = renderSesBounce(ctx, request, original, "us-east-1");
 */
export interface SesBounce {
  /** Its SES message id (what SendBounce answers, and the outbox file's name). */
  bounceId: string;
  /** The message, CRLF line ends. */
  raw: string;
  /** Who it goes to: the original's envelope sender. */
  to: string;
}

/**
 * ses-local's own address as X-SES-Outgoing names it: the address it listens on, or the loopback
 * address when it listens on every address (`0.0.0.0`, `::`) or on `localhost`.
 *
 * @example
 * ownAddressOf("0.0.0.0");
 * //=> "127.0.0.1"
 */
export function ownAddressOf(host: string): string {
  if (host === "::") return "::1";
  return host === "0.0.0.0" || isIP(host) === 0 ? "127.0.0.1" : host;
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/** `yyyy.mm.dd` in UTC, the date X-SES-Outgoing starts with. */
function dottedDate(d: Date): string {
  return d.toISOString().slice(0, 10).replace(/-/g, ".");
}

/**
 * JavaMail's boundary, as SES's: `----=_Part_{n}_{n}.{epoch ms}`. The two numbers come from the
 * bounce id, so the boundary is the same whenever the id and the clock are.
 */
function sesBoundary(bounceId: string, now: Date): string {
  const h = sha256(bounceId);
  return `----=_Part_${h.readUInt32BE(0) & 0x7fffffff}_${h.readUInt32BE(4) & 0x7fffffff}.${now.getTime()}`;
}

/**
 * Renders a bounce of `original` as ses-local sends it, with a new SES message id.
 *
 * With the `ses` profile (the default): SES's layout, its Message-ID
 * `<{bounce id}@{region}.amazonses.com>` and JavaMail boundary, and the two fields SES's outbound
 * servers add after the header, `X-SES-Outgoing: {yyyy.mm.dd}-{ses-local's own address}` and
 * `Feedback-ID: 1.{region}.{base64 SHA-256 of the region and the BounceSender's address}=:AmazonSES`
 * (opaque and stable per sender, as SES's is per account). With `default`: what `renderBounce`
 * writes with the same inputs, and the same Message-ID.
 *
 * Deterministic when the context's clock and ids are.
 *
 * @param region - the region the bounce comes from (Reporting-MTA, Message-ID, Feedback-ID).
 * @param now - the bounce's time (default: the context's clock).
 * @throws {DsnValidationError} when core refuses the request or the context (`context.*` paths:
 *   the original's sender cannot receive a bounce).
 * @example
 * const { bounceId, raw } = renderSesBounce(ctx, request, store.getMessage(request.OriginalMessageId)!, "us-east-1");
 * raw.includes("\r\nX-SES-Outgoing: ");
 * //=> true
 */
export function renderSesBounce(
  ctx: SesBounceContext,
  request: SendBounceRequest,
  original: Pick<StoredMessage, "raw" | "mailFrom" | "arrival">,
  region: string,
  now: Date = ctx.clock(),
): SesBounce {
  const bounceId = ctx.newId(now);
  const ses = ctx.renderProfile === "ses";
  const rendered = renderBounce(request, {
    // The header block alone, at most 256 KiB of it: what SES returns, at a bounded cost.
    original: originalHeaderBlock(original.raw),
    originalSender: original.mailFrom,
    now,
    region,
    arrivalDate: original.arrival,
    messageId: `<${bounceId}@${region}.amazonses.com>`,
    profile: ctx.renderProfile,
    ...(ses ? { boundary: sesBoundary(bounceId, now) } : {}),
  });
  let raw = rendered.raw;
  if (ses) {
    // Added after the header's last field, as SES's outbound servers add them.
    const end = raw.indexOf("\r\n\r\n") + 2;
    const sender = (firstAddress(request.BounceSender) ?? request.BounceSender).toLowerCase();
    const feedback = sha256(`${region}\n${sender}`).toString("base64");
    raw = raw.slice(0, end) + `X-SES-Outgoing: ${dottedDate(now)}-${ctx.ownAddress}\r\nFeedback-ID: 1.${region}.${feedback}:AmazonSES\r\n` + raw.slice(end);
  }
  return { bounceId, raw, to: rendered.envelope.rcptTo[0] };
}
