/**
 * Parsing baselines: a general MIME parser finds the delivery-status part, then a small splitter
 * turns its text into fields, so that the output is comparable to parseDsn's model: the
 * per-message fields and one map of fields per recipient.
 *
 * - mailparser's `simpleParser` with `keepDeliveryStatus: true` (which keeps the
 *   message/delivery-status part as an attachment instead of dropping it);
 * - postal-mime with `attachmentEncoding: "utf8"` (the part's content as a string).
 *
 * The splitter is deliberately minimal: unfold continuation lines, split blocks at empty lines,
 * split each field at its first colon, lower-case names, trim values. It does not split `type;
 * value`, read dates or check anything, so it flatters the baselines.
 */
import { simpleParser } from "mailparser";
import PostalMime from "postal-mime";

/**
 * @param {string} text the delivery-status body
 * @returns {{ perMessage: Record<string, string>, recipients: Record<string, string>[] }}
 */
export function splitDeliveryStatus(text) {
  const blocks = [];
  let block = null;
  let last = null;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === "") {
      block = null;
      last = null;
      continue;
    }
    if ((line[0] === " " || line[0] === "\t") && block !== null && last !== null) {
      block[last] += " " + line.trim();
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    if (block === null) blocks.push((block = {}));
    last = line.slice(0, colon).trim().toLowerCase();
    block[last] = line.slice(colon + 1).trim();
  }
  return { perMessage: blocks[0] ?? {}, recipients: blocks.slice(1) };
}

const DS_TYPES = new Set(["message/delivery-status", "message/global-delivery-status"]);

/** mailparser + the splitter. */
export async function parseMailparser(raw) {
  const mail = await simpleParser(raw, { keepDeliveryStatus: true });
  const part = mail.attachments.find((a) => DS_TYPES.has(a.contentType));
  if (part === undefined) throw new Error("mailparser found no delivery-status part");
  return { subject: mail.subject, text: mail.text, ...splitDeliveryStatus(part.content.toString("utf8")) };
}

/** postal-mime + the splitter. */
export async function parsePostalMime(raw) {
  const mail = await PostalMime.parse(raw, { attachmentEncoding: "utf8" });
  const part = mail.attachments.find((a) => DS_TYPES.has(a.mimeType));
  if (part === undefined) throw new Error("postal-mime found no delivery-status part");
  return { subject: mail.subject, text: mail.text, ...splitDeliveryStatus(part.content) };
}
