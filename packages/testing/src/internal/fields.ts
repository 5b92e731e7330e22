/**
 * The string-valued fields of an SES request that have a syntax of their own: MTA names,
 * diagnostic codes, ARNs, SES message ids, and BounceSender with its display name.
 */
import fc from "fast-check";
import { alnum, unicodeLetter, visibleAscii } from "./chars.js";
import { words } from "./words.js";
import { hostName, mailbox } from "../mailbox.js";

/**
 * `mta-name-type; mta-name` as people write it (`dns; mx.example.com`, `dns;mx`, `DNS ; mx`), a
 * bare host name (dsnkit adds `dns;`), or another type with free text.
 */
export function mtaString(unicode: boolean): fc.Arbitrary<string> {
  const typed = fc
    .tuple(fc.constantFrom("dns; ", "dns; ", "dns; ", "dns;", "DNS; ", "dns ; ", " dns;  "), hostName(unicode))
    .map(([prefix, host]) => prefix + host);
  const other = fc
    .tuple(fc.constantFrom("x-local-hostname", "X-Unix", "x-ses"), words({ unicode, maxWords: 4, maxUnits: 200, maxWordOctets: 100 }))
    .map(([type, name]) => `${type}; ${name}`);
  return fc.oneof({ withCrossShrink: true }, { arbitrary: typed, weight: 8 }, { arbitrary: hostName(unicode), weight: 3 }, { arbitrary: other, weight: 1 });
}

/** The reply code an SMTP server would give with a status of this class. */
const REPLY: Readonly<Record<string, readonly number[]>> = { "2": [250, 251], "4": [450, 421, 451, 452], "5": [550, 552, 554, 553, 500] };

/** A diagnostic code, described as data and written by {@link writeDiagnostic} once the status is known. */
export interface DiagnosticShape {
  form: "smtp" | "bare" | "other";
  /** Quote the status (with a reply code of its class) before the text, as SMTP servers do. */
  withStatus: boolean;
  replyChoice: number;
  text: string;
}

export function diagnosticShape(unicode: boolean): fc.Arbitrary<DiagnosticShape> {
  return fc.record({
    form: fc.constantFrom("smtp", "smtp", "bare", "other"),
    withStatus: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, { arbitrary: fc.constant(false), weight: 1 }),
    replyChoice: fc.nat(4),
    text: fc.oneof(
      { arbitrary: words({ unicode, maxWords: 8, maxUnits: 300, maxWordOctets: 200 }), weight: 10 },
      // Long replies (Gmail's run to several hundred characters) that must be folded.
      { arbitrary: words({ unicode, maxWords: 200, maxUnits: 2000, maxWordOctets: 400, longWords: true }), weight: 1 },
    ),
  });
}

/** The text of a diagnostic code (without its type) for a recipient whose status is `status`. */
export function diagnosticText(d: DiagnosticShape, status: string): string {
  const replies = REPLY[status.charAt(0)] ?? [550];
  return d.withStatus ? `${replies[d.replyChoice % replies.length]} ${status} ${d.text}` : d.text;
}

/** The type a diagnostic code of this shape has: `smtp`, or `x-postfix` for the other form. */
export function diagnosticType(d: DiagnosticShape): string {
  return d.form === "other" ? "x-postfix" : "smtp";
}

/** Writes a diagnostic code (SES's `type; text` string) for a recipient whose status is `status`. */
export function writeDiagnostic(d: DiagnosticShape, status: string): string {
  const text = diagnosticText(d, status);
  // A bare text that starts like "word;" would be read as typed: give it its type explicitly.
  if (d.form === "bare") return /^[^\s;]*;/.test(text) ? `smtp; ${text}` : text;
  if (d.form === "other") return `X-Postfix; ${text}`;
  return `smtp; ${text}`;
}

/** An Amazon Resource Name of an SES identity. */
export const arn: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom("us-east-1", "eu-west-1", "us-west-2", "ap-southeast-2"),
    fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 12, maxLength: 12 }),
    fc.oneof(fc.constant("example.com"), mailbox({ kinds: ["dot-atom"], unicode: false })),
  )
  .map(([region, account, identity]) => `arn:aws:ses:${region}:${account}:identity/${identity}`);

const hex = fc.constantFrom(..."0123456789abcdef");

/** An SES message id (`0100019abc...-000000`), or now and then any printable text. */
export const sesMessageId: fc.Arbitrary<string> = fc.oneof(
  {
    arbitrary: fc
      .tuple(fc.string({ unit: hex, minLength: 16, maxLength: 16 }), fc.uuid())
      .map(([a, uuid]) => `${a}-${uuid}-000000`),
    weight: 6,
  },
  { arbitrary: fc.string({ unit: visibleAscii, minLength: 1, maxLength: 40 }), weight: 1 },
  { arbitrary: fc.string({ unit: visibleAscii, minLength: 250, maxLength: 256, size: "max" }), weight: 1 },
);

const nameWord = (unicode: boolean) =>
  fc.string({
    unit: unicode ? fc.oneof({ arbitrary: alnum, weight: 4 }, unicodeLetter) : alnum,
    minLength: 1,
    maxLength: 10,
  });

/** A display name: words, sometimes with characters that need quoting (`,`, `.`, `"`, `\`, `(`). */
function displayName(unicode: boolean): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.array(nameWord(unicode), { minLength: 1, maxLength: 4 }),
      fc.constantFrom("", "", "", ",", ".", '"', "\\", "(", ":", "@"),
    )
    .map(([ws, special]) => (special === "" ? ws.join(" ") : ws.join(special + " ")));
}

/** Writes `name <address>`, quoting the name when it is not a run of atoms. */
function withName(name: string, address: string): string {
  const atoms = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u00a0-\uffff]+(?: [A-Za-z0-9!#$%&'*+\-/=?^_`{|}~\u00a0-\uffff]+)*$/.test(name);
  return atoms ? `${name} <${address}>` : `"${name.replace(/["\\]/g, "\\$&")}" <${address}>`;
}

/**
 * A BounceSender: an ASCII address (an SES identity), bare, in angle brackets, or with a
 * display name (non-ASCII with `unicode`).
 */
export function bounceSender(unicode: boolean): fc.Arbitrary<string> {
  return fc
    .tuple(
      mailbox({ unicode: false }),
      fc.oneof(
        { arbitrary: fc.constant(undefined), weight: 3 },
        { arbitrary: fc.constant(""), weight: 1 },
        { arbitrary: displayName(unicode), weight: 3 },
        { arbitrary: fc.constantFrom("Mail Delivery System", "MAILER-DAEMON", "Postmaster"), weight: 1 },
      ),
    )
    .map(([address, name]) => {
      if (name === undefined) return address;
      // parseMailboxSpec looks for the last "<": an address holding one cannot be in angle brackets.
      if (address.includes("<")) return address;
      return name === "" ? `<${address}>` : withName(name, address);
    });
}

