/**
 * The conformance rules {@link checkDsn} applies, as data: each has a stable id, the RFC section
 * it comes from, a severity and a description. Docs and tests enumerate this list.
 *
 * @module
 */

/**
 * How bad breaking a rule is: `error` for a MUST (or a structure readers cannot rely on),
 * `warning` for a SHOULD or for something legal that readers often get wrong.
 *
 * @example
 * const s: Severity = "error";
 */
export type Severity = "error" | "warning";

/**
 * One rule: a stable id (`rfc3464.status-syntax`), the RFC section, a severity and what it asks.
 *
 * @example
 * const rule: Rule = {
 *   id: "rfc3464.status-syntax",
 *   rfc: "RFC 3464 §2.3.4; RFC 3463 §2",
 *   severity: "error",
 *   description: "Status is class.subject.detail (class 2, 4 or 5; 1–3 digits each, no leading zeros), optionally followed by a comment.",
 * };
 */
export interface Rule {
  id: string;
  rfc: string;
  severity: Severity;
  description: string;
}

/**
 * Every rule {@link checkDsn} applies, grouped by RFC. Ids never change meaning; new rules may be
 * added.
 *
 * @example
 * RULES.find((r) => r.id === "rfc3834.auto-submitted-missing")?.severity;
 * //=> "warning"
 */
export const RULES: readonly Rule[] = Object.freeze([
  // RFC 3464: the delivery-status part.
  { id: "rfc3464.delivery-status-missing", rfc: "RFC 3464 §2; RFC 6522 §3", severity: "error", description: "The report has a message/delivery-status (or message/global-delivery-status) part." },
  { id: "rfc3464.delivery-status-encoding", rfc: "RFC 3464 §2.1", severity: "error", description: "message/delivery-status is 7bit: not base64 or quoted-printable, so that it stays readable." },
  { id: "rfc3464.block-separator", rfc: "RFC 3464 §2.1", severity: "error", description: "The per-message block and each per-recipient block are separated by an empty line." },
  { id: "rfc3464.empty-block", rfc: "RFC 3464 §2.1", severity: "warning", description: "Blocks are separated by exactly one empty line: no leading, repeated or white-space-only lines." },
  { id: "rfc3464.field-syntax", rfc: "RFC 3464 §2.1; RFC 5322 §2.2", severity: "error", description: "Every line of the delivery-status part is a field (name: value) or continues one." },
  { id: "rfc3464.required-field", rfc: "RFC 3464 §2.2.2, §2.3.2–§2.3.4", severity: "error", description: "Reporting-MTA is present, and each recipient block has Final-Recipient, Action and Status; there is at least one recipient block." },
  { id: "rfc3464.field-repeated", rfc: "RFC 3464 §2.2, §2.3", severity: "error", description: "Each RFC 3464 field appears at most once in its block." },
  { id: "rfc3464.field-wrong-block", rfc: "RFC 3464 §2.2, §2.3", severity: "error", description: "Per-message fields are in the first block only; per-recipient fields (Remote-MTA, Last-Attempt-Date, Will-Retry-Until, ...) in recipient blocks only." },
  { id: "rfc3464.action-value", rfc: "RFC 3464 §2.3.3", severity: "error", description: "Action is failed, delayed, delivered, relayed or expanded." },
  { id: "rfc3464.status-syntax", rfc: "RFC 3464 §2.3.4; RFC 3463 §2", severity: "error", description: "Status is class.subject.detail (class 2, 4 or 5; 1–3 digits each, no leading zeros), optionally followed by a comment." },
  { id: "rfc3464.action-status-mismatch", rfc: "RFC 3464 §2.3.3; RFC 3463 §3.1", severity: "error", description: "Action and Status agree: delayed needs 4.x.x; delivered, relayed and expanded need 2.x.x; failed needs 4.x.x or 5.x.x." },
  { id: "rfc3464.will-retry-until-not-delayed", rfc: "RFC 3464 §2.3.9", severity: "error", description: "Will-Retry-Until appears only for a delayed recipient." },
  { id: "rfc3464.remote-mta-is-reporting-mta", rfc: "RFC 3464 §2.3.5", severity: "warning", description: "Remote-MTA names a remote MTA, not the Reporting-MTA itself (it MUST NOT be given when no remote MTA was involved)." },
  { id: "rfc3464.last-attempt-after-date", rfc: "RFC 3464 §2.3.7", severity: "warning", description: "Last-Attempt-Date is not later than the DSN's own Date." },
  { id: "rfc3464.address-type", rfc: "RFC 3464 §2.3.1, §2.3.2", severity: "error", description: "Original-Recipient and Final-Recipient are written address-type; address (like rfc822; user@example.com)." },
  { id: "rfc3464.address-syntax", rfc: "RFC 3464 §2.3.2; RFC 5321 §4.1.2", severity: "error", description: "An rfc822 address is a bare mailbox (local@domain), without angle brackets." },
  { id: "rfc3464.mta-name-type", rfc: "RFC 3464 §2.2.2, §2.2.3, §2.2.4, §2.3.5", severity: "error", description: "MTA fields are written mta-name-type; mta-name (like dns; mx.example.com)." },
  { id: "rfc3464.dns-name", rfc: "RFC 3464 §2.2.2", severity: "warning", description: "An MTA name of type dns is a host name or an IP address." },
  { id: "rfc3464.diagnostic-type", rfc: "RFC 3464 §2.3.6", severity: "error", description: "Diagnostic-Code is written diagnostic-type; text (like smtp; 550 5.1.1 ...)." },
  { id: "rfc3464.extension-field-name", rfc: "RFC 3464 §2.4", severity: "error", description: "An extension field name is an atom (letters, digits and -, among others)." },
  { id: "rfc3464.extension-field-unregistered", rfc: "RFC 3464 §2.4", severity: "warning", description: "An extension field that IANA has not registered starts with X-." },
  // RFC 6522: the report.
  { id: "rfc6522.not-multipart-report", rfc: "RFC 6522 §3", severity: "error", description: "The message itself is multipart/report (not multipart/mixed, not a report nested inside another part)." },
  { id: "rfc6522.report-type-missing", rfc: "RFC 6522 §3", severity: "error", description: "multipart/report has the required report-type parameter." },
  { id: "rfc6522.report-type-mismatch", rfc: "RFC 6522 §3", severity: "error", description: "report-type names the report's second part: delivery-status." },
  { id: "rfc6522.part-order", rfc: "RFC 6522 §3", severity: "error", description: "The report has two or three parts: human-readable text, then the delivery status, then optionally the original." },
  { id: "rfc6522.report-forwarded", rfc: "RFC 6522 §3", severity: "warning", description: "The message itself is the report: a DSN found inside a message/rfc822 attachment (a forwarded bounce) is read there, but the message that carries it is not a DSN." },
  { id: "rfc6522.headers-only-message", rfc: "RFC 6522 §4; RFC 5322 §3.5", severity: "warning", description: "A returned header alone is text/rfc822-headers rather than a message/rfc822 without a body (which RFC 5322 allows, but readers take for a whole message)." },
  { id: "rfc6522.original-header-syntax", rfc: "RFC 6522 §3; RFC 5322 §2.2", severity: "warning", description: "The returned message's header is as its sender wrote it: a syntax fault there (a broken fold, a line that is not a field) is the original's, not the DSN's." },
  { id: "rfc6522.original-type", rfc: "RFC 6522 §3; RFC 6533 §6", severity: "warning", description: "The third part is message/rfc822, text/rfc822-headers, message/global or message/global-headers." },
  // RFC 2045 and RFC 2046: MIME.
  { id: "rfc2045.mime-version-missing", rfc: "RFC 2045 §4", severity: "error", description: "A MIME message has MIME-Version: 1.0." },
  { id: "rfc2045.content-type-syntax", rfc: "RFC 2045 §5.1", severity: "error", description: "Content-Type is type/subtype followed by parameters." },
  { id: "rfc2045.transfer-encoding", rfc: "RFC 2045 §6; RFC 2046 §5.2.1", severity: "error", description: "Content-Transfer-Encoding is 7bit, 8bit, binary, quoted-printable or base64; multipart and message parts are only 7bit, 8bit or binary; base64 holds only its alphabet." },
  { id: "rfc2045.8bit-undeclared", rfc: "RFC 2045 §2.7, §6.2", severity: "error", description: "An entity with 8-bit octets declares Content-Transfer-Encoding 8bit (or binary), and so does every multipart around it." },
  { id: "rfc2045.nul", rfc: "RFC 2045 §2.7, §2.8", severity: "error", description: "A message holds no NUL octet." },
  { id: "rfc2046.charset", rfc: "RFC 2046 §4.1.2", severity: "error", description: "Text is in the charset it declares (us-ascii when none), and the charset is registered with IANA (a name or an alias) or a private x- one." },
  { id: "rfc2046.boundary-missing", rfc: "RFC 2046 §5.1.1", severity: "error", description: "A multipart has a boundary parameter." },
  { id: "rfc2046.boundary-syntax", rfc: "RFC 2046 §5.1.1", severity: "error", description: "A boundary is 1 to 70 characters of bchars, not ending in a space." },
  { id: "rfc2046.boundary-in-part", rfc: "RFC 2046 §5.1.1", severity: "error", description: "No line inside a part starts with a delimiter of an enclosing multipart." },
  { id: "rfc2046.delimiter-missing", rfc: "RFC 2046 §5.1.1", severity: "error", description: "A multipart's body has at least one delimiter line (--boundary)." },
  { id: "rfc2046.closing-delimiter", rfc: "RFC 2046 §5.1.1", severity: "error", description: "A multipart ends with its close delimiter (--boundary--)." },
  // RFC 5322: the message format.
  { id: "rfc5322.bare-lf", rfc: "RFC 5322 §2.3", severity: "error", description: "Every line ends in CRLF: no LF without CR." },
  { id: "rfc5322.bare-cr", rfc: "RFC 5322 §2.3", severity: "error", description: "No CR without LF." },
  { id: "rfc5322.lf-line-ends", rfc: "RFC 5322 §2.1, §2.3", severity: "warning", description: "Lines end in CRLF, not LF alone (an LF-only file is a Unix mailbox copy; it must be converted before it is sent)." },
  { id: "rfc5322.cr-line-ends", rfc: "RFC 5322 §2.1, §2.3", severity: "warning", description: "Lines end in CRLF, not CR alone (a CR-only file is a copy stored by a classic Mac OS tool; it must be converted before it is sent)." },
  { id: "rfc5322.mbox-from-line", rfc: "RFC 5322 §2.2; RFC 4155", severity: "warning", description: "A message starts with its header, not an mbox \"From \" separator line (a file that has one is a mailbox copy; the line is storage, not part of the message)." },
  { id: "rfc5322.line-too-long", rfc: "RFC 5322 §2.1.1", severity: "error", description: "No line is longer than 998 octets (without its CRLF)." },
  { id: "rfc5322.line-over-78", rfc: "RFC 5322 §2.1.1", severity: "warning", description: "Lines are at most 78 characters (without their CRLF)." },
  { id: "rfc5322.header-syntax", rfc: "RFC 5322 §2.2, §3.6.8; RFC 6532 §3", severity: "error", description: "A header is fields (name: value, folded lines starting with white space) ended by an empty line, in ASCII or UTF-8." },
  { id: "rfc5322.folding", rfc: "RFC 5322 §2.2.3", severity: "error", description: "A folded field's continuation lines start with white space." },
  { id: "rfc5322.date-missing", rfc: "RFC 5322 §3.6", severity: "error", description: "The message has a Date field." },
  { id: "rfc5322.from-missing", rfc: "RFC 5322 §3.6", severity: "error", description: "The message has a From field." },
  { id: "rfc5322.header-repeated", rfc: "RFC 5322 §3.6", severity: "error", description: "Date, From, Sender, Reply-To, To, Cc, Bcc, Message-ID, In-Reply-To, References and Subject appear at most once." },
  { id: "rfc5322.message-id-missing", rfc: "RFC 5322 §3.6.4", severity: "warning", description: "The message has a Message-ID field." },
  { id: "rfc5322.date-syntax", rfc: "RFC 5322 §3.3", severity: "error", description: "Date, Arrival-Date, Last-Attempt-Date and Will-Retry-Until are RFC 5322 date-times." },
  { id: "rfc5322.obsolete-date", rfc: "RFC 5322 §4.3", severity: "error", description: "Dates use no obsolete syntax: four-digit years, numeric zones (+0000), two-digit hours, no comments or white space inside the time." },
  { id: "rfc5322.date-weekday", rfc: "RFC 5322 §3.3", severity: "error", description: "A day-of-week, when given, is the day the date falls on." },
  // RFC 2047: encoded-words.
  { id: "rfc2047.encoded-word-not-allowed", rfc: "RFC 2047 §5", severity: "warning", description: "Text shaped like an encoded-word where RFC 2047 allows none (an address, a msg-id, a date, a MIME parameter, a delivery-status field): there it is not one and means what it says, and readers that decode it anyway misread it. A warning: the text may be valid as it stands (=?a?b?c?=x is atext in a local part), and only a writer that meant an encoded-word broke the rule." },
  { id: "rfc2047.encoded-word-in-quoted-string", rfc: "RFC 2047 §5", severity: "warning", description: "No encoded-word inside a quoted-string: readers do not decode it there (and some wrongly do)." },
  { id: "rfc2047.encoded-word-too-long", rfc: "RFC 2047 §2", severity: "error", description: "An encoded-word is at most 75 characters." },
  // RFC 3834: automatic responses.
  { id: "rfc3834.auto-submitted-missing", rfc: "RFC 3834 §5", severity: "warning", description: "The DSN says it is automatic: Auto-Submitted: auto-replied." },
  { id: "rfc3834.auto-submitted-value", rfc: "RFC 3834 §5", severity: "warning", description: "Auto-Submitted is auto-replied or auto-generated (or an extension), never no (which says a person wrote the DSN: a SHOULD, like the field itself)." },
  { id: "rfc3834.auto-submitted-syntax", rfc: "RFC 3834 §5", severity: "error", description: "Auto-Submitted has a keyword (auto-replied, auto-generated, no or an extension)." },
  // RFC 6533: internationalized DSNs.
  { id: "rfc6533.utf8-address", rfc: "RFC 6533 §3", severity: "error", description: "A utf-8 address escapes characters as \\x{HHHH} with 1 to 6 hex digits naming a Unicode scalar value." },
  { id: "rfc6533.non-ascii-address-type", rfc: "RFC 6533 §3", severity: "error", description: "A non-ASCII address has the utf-8 address type, not rfc822." },
  { id: "rfc6533.non-ascii-in-classic", rfc: "RFC 6533 §6", severity: "error", description: "message/delivery-status, text/rfc822-headers and the header of message/rfc822 are ASCII; UTF-8 needs the global types." },
  { id: "rfc6533.global-type-unneeded", rfc: "RFC 6533 §6", severity: "warning", description: "The global types are used only for content that needs them (non-ASCII); ASCII content uses the classic types, which more readers understand." },
  // Fields that read differently to different readers.
  { id: "dsnkit.unicode-line-break", rfc: "RFC 5322 §2.2; Unicode UAX #14", severity: "error", description: "No header or delivery-status field holds a character that Unicode readers take as a line break (VT, FF, NEL U+0085, LINE SEPARATOR U+2028, PARAGRAPH SEPARATOR U+2029): a reader that splits lines the Unicode way (Python's splitlines(), JavaScript's /^$/m) would read what follows as a field of its own." },
  // Resource limits and unusable input.
  { id: "dsnkit.limit-exceeded", rfc: "—", severity: "error", description: "The input is within dsnkit's ParseLimits (nesting depth, parts, header size, recipients, input size)." },
  { id: "dsnkit.invalid-input", rfc: "—", severity: "error", description: "The input is a non-empty string or Uint8Array." },
  { id: "dsnkit.charset-undecodable", rfc: "—", severity: "warning", description: "A text part's charset is registered, but this platform cannot decode it: the text is read as UTF-8 and may be wrong in places." },
] satisfies Rule[]);

const BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.id, r]));

/**
 * The rule with this id.
 *
 * @throws {Error} for an id that is not in {@link RULES} (a bug in dsnkit).
 * @example
 * ruleById("rfc5322.line-too-long").rfc;
 * //=> "RFC 5322 §2.1.1"
 */
export function ruleById(id: string): Rule {
  const r = BY_ID.get(id);
  if (r === undefined) throw new Error(`no rule ${JSON.stringify(id)}`);
  return r;
}
