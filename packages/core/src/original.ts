/**
 * Reading the original message that a bounce returns: its header fields (without touching the
 * body), its envelope sender and Message-ID, and trimming the headers to a size cap.
 *
 * @module
 */
import { isWsp, trimWsp, utf8Length } from "./syntax/text.js";
import { findAddress } from "./syntax/address.js";
import { HARD_LINE_LIMIT } from "./mime/fold.js";
import { strictUtf8Decoder, utf8Decoder } from "./web.js";

/**
 * One header field of the original, as it was written (folding kept, line ends made CRLF).
 *
 * @example
 * const field: OriginalHeaderField = { name: "Subject", text: "Subject: hello", octets: 14 };
 */
export interface OriginalHeaderField {
  /** The field name as written. */
  name: string;
  /** The whole field, `Name: value` with any folding, lines joined by CRLF, no final CRLF. */
  text: string;
  /** Octets of `text` plus its final CRLF. */
  octets: number;
}

/**
 * The original split into header fields and the start of its body.
 *
 * @example
 * const o: OriginalMessage = readOriginal("Subject: hi\r\n\r\nbody");
 * o.fields[0]!.name;
 * //=> "Subject"
 */
export interface OriginalMessage {
  fields: OriginalHeaderField[];
  /**
   * Header lines that were not fields (no colon, bad name, NUL, bare CR, over 998 octets, a line
   * break only some readers see: VT, FF, NEL, U+2028, U+2029), dropped.
   */
  malformed: number;
  /** Where the body starts in the raw input (code units of a string, or bytes), or -1 with no body. */
  bodyStart: number;
  raw: string | Uint8Array;
}

/**
 * Splits the original's header block into fields. Reads only up to the first empty line: the body
 * is not looked at, whatever its size.
 *
 * @example
 * readOriginal("From: a@example.com\nSubject: hi\n\nbody").fields.map((f) => f.name);
 * //=> ["From", "Subject"]
 */
export function readOriginal(raw: string | Uint8Array): OriginalMessage {
  return readOriginalFrom(raw, typeof raw === "string" ? plainHeaderEnd(raw) : -1);
}

/**
 * {@link readOriginal}, given {@link plainHeaderEnd} of the original (-1 for one that is not a
 * string). A plain header block is cut into its fields where its lines start, with none of the
 * checks every line of it has passed.
 */
export function readOriginalFrom(raw: string | Uint8Array, plainEnd: number): OriginalMessage {
  if (plainEnd >= 0) return { fields: plainFields(raw as string, plainEnd), malformed: 0, bodyStart: plainEnd + 2, raw };
  let headerText: string;
  let bodyStart: number;
  if (typeof raw === "string") {
    const end = headerEnd(raw);
    headerText = raw.slice(0, end.headers);
    bodyStart = end.body;
  } else {
    const end = headerEndBytes(raw);
    headerText = utf8Decoder.decode(raw.subarray(0, end.headers));
    bodyStart = end.body;
  }
  const fields: OriginalHeaderField[] = [];
  let malformed = 0;
  let current: string[] | undefined;
  const flush = () => {
    if (current === undefined) return;
    const text = current.join("\r\n");
    const colon = text.indexOf(":");
    const name = text.slice(0, colon);
    let ok = colon > 0 && isFieldName(name) && !NOT_IN_A_FIELD.test(text) && !text.includes("\r\n\r\n");
    let octets = 0;
    for (const line of current) {
      const n = utf8Length(line);
      if (n > HARD_LINE_LIMIT || line.includes("\r")) ok = false;
      octets += n + 2;
    }
    if (ok) fields.push({ name, text, octets });
    else malformed++;
    current = undefined;
  };
  let pos = 0;
  while (pos < headerText.length) {
    let nl = headerText.indexOf("\n", pos);
    if (nl < 0) nl = headerText.length;
    const line = headerText.slice(pos, nl > pos && headerText.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl);
    pos = nl + 1;
    if (isWsp(line.charCodeAt(0)) && current !== undefined) {
      if (trimWsp(line) !== "") current.push(line);
      continue;
    }
    flush();
    if (fields.length === 0 && malformed === 0 && line.startsWith("From ")) continue; // mbox separator
    current = [line];
  }
  flush();
  return { fields, malformed, bodyStart, raw };
}

/** The fields resolution reads, lower-cased, by the length of their names (none has another's). */
const SENDER_AND_ID: Readonly<Record<number, string>> = { 11: "return-path", 4: "from", 10: "message-id" };

/**
 * What resolution reads of the original: the first Return-Path, From and Message-ID fields, which
 * give its sender and the Message-ID the bounce replies to. Of a plain block (see
 * {@link plainHeaderEnd}; -1 for one that is not) only those three are cut out, found from the
 * first letter of each line (a continuation line starts with white space); {@link headerValue}
 * then reads them as it would read the whole list, whose first field of each name they are. Any
 * other original is read whole by {@link readOriginalFrom}.
 */
export function readIdentifyingFields(raw: string | Uint8Array, plainEnd: number): OriginalMessage {
  if (plainEnd < 0) return readOriginalFrom(raw, plainEnd);
  const s = raw as string;
  const fields: OriginalHeaderField[] = [];
  let found = 0; // a bit for each name, by its length
  for (let start = 0; start < plainEnd && fields.length < 3; start = s.indexOf("\n", start) + 1) {
    const first = s.charCodeAt(start) | 0x20;
    if (first !== 0x72 && first !== 0x66 && first !== 0x6d) continue; // r, f, m
    const colon = s.indexOf(":", start);
    const name = SENDER_AND_ID[colon - start];
    if (name === undefined || found & (1 << (colon - start)) || s.slice(start, colon).toLowerCase() !== name) continue;
    found |= 1 << (colon - start);
    let lineEnd = s.indexOf("\r\n", start);
    while (lineEnd + 2 < plainEnd && isWsp(s.charCodeAt(lineEnd + 2))) lineEnd = s.indexOf("\r\n", lineEnd + 2);
    fields.push({ name: s.slice(start, colon), text: s.slice(start, lineEnd), octets: lineEnd - start + 2 });
  }
  return { fields, malformed: 0, bodyStart: plainEnd + 2, raw };
}

/**
 * The fields of a plain header block `raw[0, end)` (see {@link plainHeaderEnd}): each starts at a
 * line that does not start with white space and takes the continuation lines after it, which are
 * the lines a careful read would join (printable ASCII and tabs: none is empty, none has a bare CR,
 * a NUL or a line break only Unicode readers see, none is over 998 octets).
 */
function plainFields(raw: string, end: number): OriginalHeaderField[] {
  const fields: OriginalHeaderField[] = [];
  let start = 0;
  while (start < end) {
    let lineEnd = raw.indexOf("\r\n", start);
    while (lineEnd + 2 < end && isWsp(raw.charCodeAt(lineEnd + 2))) lineEnd = raw.indexOf("\r\n", lineEnd + 2);
    fields.push({ name: raw.slice(start, raw.indexOf(":", start)), text: raw.slice(start, lineEnd), octets: lineEnd - start + 2 });
    start = lineEnd + 2;
  }
  return fields;
}

/**
 * What no returned field may hold: NUL, and the line breaks that Unicode readers see but MIME does
 * not (VT, FF, NEL, U+2028, U+2029). Returned as they are, the last would let the original's
 * header start a line of its own for a reader that splits lines the Unicode way.
 */
const NOT_IN_A_FIELD = /[\0\v\f\x85\u2028\u2029]/;

function isFieldName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 33 || c > 126) return false;
  }
  return true;
}

/** End of the header block: index of the empty line's start, and where the body starts. */
function headerEnd(s: string): { headers: number; body: number } {
  let pos = 0;
  while (pos < s.length) {
    let nl = s.indexOf("\n", pos);
    if (nl < 0) return { headers: s.length, body: -1 };
    const empty = nl === pos || (nl === pos + 1 && s.charCodeAt(pos) === 0x0d);
    if (empty) return { headers: pos, body: nl + 1 };
    pos = nl + 1;
  }
  return { headers: s.length, body: -1 };
}

function headerEndBytes(b: Uint8Array): { headers: number; body: number } {
  let pos = 0;
  while (pos < b.length) {
    const nl = b.indexOf(0x0a, pos);
    if (nl < 0) return { headers: b.length, body: -1 };
    const empty = nl === pos || (nl === pos + 1 && b[pos] === 0x0d);
    if (empty) return { headers: pos, body: nl + 1 };
    pos = nl + 1;
  }
  return { headers: b.length, body: -1 };
}

/**
 * As many whole header lines as stand at the start of the input, each printable ASCII ending in
 * CRLF: a field (a name of printable characters other than the colon, a colon, a value) or a
 * continuation (white space, then something else). A value is runs of `[\x20-\x7e]` joined by
 * tabs: the inner loop then tests one range per character, which is what costs here. Every line
 * ends at its CRLF and the two kinds start differently, so the match never backtracks more than
 * one line; it stops at the first line that is neither (the empty line, when all is well). Sticky:
 * it matches at `lastIndex` only.
 */
const PLAIN_LINES =
  /(?:[\x21-\x39\x3b-\x7e]+:[\x20-\x7e]*(?:\t[\x20-\x7e]*)*\r\n|[\t ]+[\x21-\x7e][\x20-\x7e]*(?:\t[\x20-\x7e]*)*\r\n)*/y;

/**
 * A line of more than 998 characters holds, after the first multiple of this number at or after
 * its start, this many more characters of the same line.
 */
const LONG_LINE_STRIDE = HARD_LINE_LIMIT >> 1;

/**
 * True when a line of `block[0, end)` (CRLF line ends, the last at `end`) is over 998 characters.
 * Lines are usually far shorter: a line end is looked for once every 499 characters, and only a
 * line that holds one of those windows whole is measured.
 */
function hasLongLine(block: string, end: number): boolean {
  for (let p = 0; p < end; p += LONG_LINE_STRIDE) {
    const nl = block.indexOf("\n", p);
    if (nl - p <= LONG_LINE_STRIDE) continue;
    const start = block.lastIndexOf("\n", p) + 1;
    if (nl - 1 - start > HARD_LINE_LIMIT) return true;
  }
  return false;
}

/**
 * The original's header block as it stands, when it can be returned untouched: printable ASCII,
 * CRLF line ends only, every line a field or a continuation with content, none over 998 octets,
 * and at most `cap` octets in all. Otherwise `undefined`, and the caller takes the careful path
 * ({@link readOriginal}). One pass of a regular expression that cannot backtrack far checks the
 * lines (run only when the block is within the cap); line lengths are checked with `indexOf`.
 */
export function plainHeaderBlock(raw: string, cap: number): string | undefined {
  // The expression reads at most the whole input; when that is over the cap, the block is found
  // first (indexOf runs at memchr speed), so that no more than the cap is ever matched.
  if (raw.length > cap) {
    const empty = raw.indexOf("\r\n\r\n");
    if (empty < 0 || empty + 2 > cap) return undefined;
  }
  return cappedBlock(raw, plainHeaderEnd(raw), cap);
}

/**
 * {@link plainHeaderBlock}, given {@link plainHeaderEnd} of `raw`: a plain block has no empty line
 * before its end, so the cap is the only thing left to judge.
 */
export function cappedBlock(raw: string, plainEnd: number, cap: number): string | undefined {
  return plainEnd < 0 || plainEnd > cap ? undefined : raw.slice(0, plainEnd);
}

/**
 * Where the original's header block ends (the index of its empty line) when it can be returned as
 * it stands, whatever its size (see {@link plainHeaderBlock}); -1 when it cannot.
 */
export function plainHeaderEnd(raw: string): number {
  const first = raw.charCodeAt(0);
  if (first === 0x20 || first === 0x09) return -1; // a continuation cannot come first
  PLAIN_LINES.lastIndex = 0;
  PLAIN_LINES.test(raw);
  // The lines matched hold no CR or LF but their own CRLF and none is empty, so an empty line
  // right after them is the first one: the end of the block.
  const end = PLAIN_LINES.lastIndex;
  if (end === 0 || raw.charCodeAt(end) !== 0x0d || raw.charCodeAt(end + 1) !== 0x0a || hasLongLine(raw, end)) return -1;
  return end;
}

/** The unfolded value of the first field called `name` (case-insensitive). */
export function headerValue(o: OriginalMessage, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const f of o.fields) {
    if (f.name.length === lower.length && f.name.toLowerCase() === lower) {
      const value = f.text.slice(f.name.length + 1);
      return trimWsp(value.includes("\r\n") ? value.replace(/\r\n/g, "") : value);
    }
  }
  return undefined;
}

/**
 * The first address in an address header value: inside `<...>` when there is an angle-addr, else
 * the bare addr-spec. Quoted strings and comments are skipped. `""` for `<>`.
 *
 * @example
 * firstAddress('"Doe, <Jane>" <jane@example.org> (home)');
 * //=> "jane@example.org"
 */
export function firstAddress(value: string): string | undefined {
  return findAddress(value)?.address;
}

/**
 * The original's envelope sender: the Return-Path's address, else the From's. `null` when the
 * Return-Path is `<>` (the original is itself a notification), `undefined` when neither is there.
 *
 * @example
 * originalSender(readOriginal("Return-Path: <bounces@example.org>\r\nFrom: a@example.org\r\n\r\n"));
 * //=> "bounces@example.org"
 */
export function originalSender(o: OriginalMessage): string | null | undefined {
  const found = originalSenderField(o);
  return found === null || found === undefined ? found : found.address;
}

/**
 * {@link originalSender} with the header it was read from, so that a message about the address
 * names the header the original actually has.
 *
 * @example
 * originalSenderField(readOriginal("From: a@example.org\r\n\r\n"));
 * //=> { header: "From", address: "a@example.org" }
 */
export function originalSenderField(o: OriginalMessage): { header: "Return-Path" | "From"; address: string } | null | undefined {
  const returnPath = headerValue(o, "Return-Path");
  if (returnPath !== undefined) {
    const a = firstAddress(returnPath);
    if (a === "") return null;
    if (a !== undefined) return { header: "Return-Path", address: a };
  }
  const from = headerValue(o, "From");
  const a = from === undefined ? undefined : firstAddress(from);
  return a === undefined || a === "" ? undefined : { header: "From", address: a };
}

/**
 * The original's Message-ID (`<...>`), when it has a well-formed one.
 *
 * @example
 * originalMessageId(readOriginal("Message-ID: <a.1@example.org>\r\n\r\n"));
 * //=> "<a.1@example.org>"
 */
export function originalMessageId(o: OriginalMessage): string | undefined {
  const v = headerValue(o, "Message-ID");
  if (v === undefined) return undefined;
  const open = v.indexOf("<");
  const close = v.indexOf(">", open);
  if (open < 0 || close < 0) return undefined;
  // A well-formed msg-id holds no white space: only one that is not is read again without it.
  const written = v.slice(open, close + 1);
  if (messageIdProblem(written) === undefined) return written;
  const id = written.replace(/\s+/g, "");
  return messageIdProblem(id) === undefined ? id : undefined;
}

/** `<...>` around printable ASCII other than `<>"\\(),`: the common case of {@link messageIdProblem}, in one native pass. */
const MSG_ID = /^<[\x21\x23-\x27\x2a\x2b\x2d-\x3b\x3d\x3f-\x5b\x5d-\x7e]+>$/;

/**
 * Returns why `id` is not an RFC 5322 msg-id (`<id-left@id-right>` of printable ASCII), or
 * `undefined` when it is one.
 */
export function messageIdProblem(id: string): string | undefined {
  if (id.length >= 5 && id.length <= 998 - 20 && MSG_ID.test(id)) {
    // With a single @ (the common case, found by indexOf, which is quicker than lastIndexOf) it
    // is the last one.
    const at = id.indexOf("@");
    if (at > 1 && at < id.length - 2 && id.indexOf("@", at + 1) < 0) return undefined;
  }
  if (id.length < 5 || id.charCodeAt(0) !== 0x3c || id.charCodeAt(id.length - 1) !== 0x3e)
    return "it must look like <left@right>, with angle brackets";
  if (id.length > 998 - 20) return "it is too long for a header line";
  const at = id.lastIndexOf("@");
  if (at <= 1 || at >= id.length - 2) return "it needs text on both sides of one @";
  for (let i = 1; i < id.length - 1; i++) {
    const c = id.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f || c === 0x3c || c === 0x3e || c === 0x22 || c === 0x5c || c === 0x28 || c === 0x29 || c === 0x2c)
      return `it has the character ${JSON.stringify(id[i])}, which a msg-id cannot hold`;
  }
  return undefined;
}

/** Headers that identify the original: kept first when the headers must be cut. */
const IDENTIFYING = new Set(["from", "to", "cc", "subject", "date", "message-id", "return-path", "sender", "reply-to"]);

/**
 * 0: identifying (kept longest), 1: ordinary, 2: older Received (the path, still useful to a
 * reader), 3: signatures and seals (DKIM-Signature, ARC-*), of no use in a bounce: dropped first.
 */
function rank(lowerName: string, firstReceived: boolean): number {
  if (IDENTIFYING.has(lowerName) || lowerName.startsWith("list-")) return 0;
  if (lowerName === "received") return firstReceived ? 1 : 2;
  if (lowerName === "x-received") return 2;
  if (
    lowerName === "dkim-signature" ||
    lowerName === "x-google-dkim-signature" ||
    lowerName === "domainkey-signature" ||
    lowerName.startsWith("arc-")
  )
    return 3;
  return 1;
}

/**
 * Chooses the header fields to return within `cap` octets: all of them when they fit; otherwise
 * signatures and seals (DKIM-Signature, ARC-*) are dropped first, then older Received fields (the
 * topmost one, the receiving MTA's own, counts as ordinary), then ordinary ones, and identifying
 * ones (From, To, Cc, Subject, Date, Message-ID, List-*, Return-Path, Sender, Reply-To) last;
 * within a rank, the lowest fields go first. The kept fields stay in their original order.
 *
 * @example
 * const o = readOriginal("Subject: hi\r\nDKIM-Signature: v=1; b=" + "x".repeat(200) + "\r\n\r\n");
 * trimHeaders(o.fields, 100).kept.map((f) => f.name);
 * //=> ["Subject"]
 */
export function trimHeaders(
  fields: readonly OriginalHeaderField[],
  cap: number,
): { kept: OriginalHeaderField[]; dropped: OriginalHeaderField[] } {
  let total = 0;
  for (const f of fields) total += f.octets;
  if (total <= cap) return { kept: fields.slice(), dropped: [] };
  const ranks: number[] = [];
  let seenReceived = false;
  for (const f of fields) {
    const lower = f.name.toLowerCase();
    ranks.push(rank(lower, lower === "received" && !seenReceived));
    if (lower === "received") seenReceived = true;
  }
  const drop = new Uint8Array(fields.length);
  for (let r = 3; r >= 0 && total > cap; r--) {
    for (let i = fields.length - 1; i >= 0 && total > cap; i--) {
      if (ranks[i] !== r) continue;
      drop[i] = 1;
      total -= fields[i]!.octets;
    }
  }
  const kept: OriginalHeaderField[] = [];
  const dropped: OriginalHeaderField[] = [];
  fields.forEach((f, i) => (drop[i] ? dropped : kept).push(f));
  return { kept, dropped };
}

/**
 * The original's body as text with CRLF line ends, or why it cannot be returned whole (invalid
 * UTF-8, a NUL, or a line over 998 octets).
 */
export function originalBody(o: OriginalMessage): { text: string } | { problem: string } {
  if (o.bodyStart < 0) return { text: "" };
  let body: string;
  if (typeof o.raw === "string") body = o.raw.slice(o.bodyStart);
  else {
    try {
      body = strictUtf8Decoder.decode(o.raw.subarray(o.bodyStart));
    } catch {
      return { problem: "its body is not valid UTF-8" };
    }
  }
  if (body.includes("\0")) return { problem: "its body has a NUL character" };
  const crlf = body.replace(/\r\n|\r|\n/g, "\r\n");
  let start = 0;
  while (start < crlf.length) {
    let end = crlf.indexOf("\r\n", start);
    if (end < 0) end = crlf.length;
    if (end - start > 332 && utf8Length(crlf.slice(start, end)) > HARD_LINE_LIMIT)
      return { problem: "its body has a line over 998 octets" };
    start = end + 2;
  }
  return { text: crlf };
}
