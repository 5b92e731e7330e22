/**
 * Mailboxes (`local-part@domain`) of every kind RFC 5321 and RFC 6531 allow.
 *
 * @module
 */
import fc from "fast-check";
import { alnum, atext, digit, idnLetter, ldh, lower, unicodeLetter } from "./internal/chars.js";
import { toALabel } from "./internal/punycode.js";
import { cutOctets, isAscii, utf8Length } from "./internal/text.js";

/**
 * The kinds of mailbox {@link mailbox} generates, each named for what sets it apart:
 *
 * | kind | example |
 * |---|---|
 * | `dot-atom` | `jane.doe+tag@mail.example.com` |
 * | `quoted` | `"jane doe"@example.com`, `"a\"b"@example.org` |
 * | `idn` | `info@bücher.example` (or `info@xn--bcher-kva.example` without unicode) |
 * | `utf8-local` | `用户@example.com` (RFC 6531) |
 * | `address-literal` | `postmaster@[192.0.2.1]`, `root@[IPv6:2001:db8::1]` |
 *
 * @example
 * const kind: MailboxKind = "quoted";
 */
export type MailboxKind = "dot-atom" | "quoted" | "idn" | "utf8-local" | "address-literal";

/**
 * Every {@link MailboxKind}.
 *
 * @example
 * MAILBOX_KINDS.length;
 * //=> 5
 */
export const MAILBOX_KINDS: readonly MailboxKind[] = Object.freeze(["dot-atom", "quoted", "idn", "utf8-local", "address-literal"]);

/**
 * Constraints of {@link mailbox}.
 *
 * @example
 * const c: MailboxConstraints = { kinds: ["dot-atom", "quoted"], unicode: false };
 */
export interface MailboxConstraints {
  /** The kinds to generate. Default: all of them (all but `utf8-local` when `unicode` is false). */
  kinds?: readonly MailboxKind[];
  /**
   * Allow non-ASCII (RFC 6531): UTF-8 local parts and U-label domains. Default `true`. With
   * `false` every mailbox is ASCII and IDN domains are written as A-labels (`xn--...`).
   */
  unicode?: boolean;
}

/** RFC 5321 §4.5.3.1: local part, domain, and whole-path limits in octets. */
const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;
const MAX_ADDRESS = 254;
const MAX_LABEL = 63;

// ---- local parts ----

const asciiAtom = fc.oneof(
  { arbitrary: fc.string({ unit: atext, minLength: 1, maxLength: 10 }), weight: 12 },
  // Long atoms reach the 64-octet limit after cutting.
  { arbitrary: fc.string({ unit: atext, minLength: 40, maxLength: 80, size: "max" }), weight: 1 },
);

function dotAtom(atom: fc.Arbitrary<string>, first: fc.Arbitrary<string> = atom): fc.Arbitrary<string> {
  return fc.tuple(first, fc.array(atom, { maxLength: 3 })).map(([a, rest]) => fitLocal([a, ...rest].join(".")));
}

/** Cuts a dot-atom local part to 64 octets without leaving a dot at its end. */
function fitLocal(local: string): string {
  let s = cutOctets(local, MAX_LOCAL);
  while (s.endsWith(".")) s = s.slice(0, -1);
  return s;
}

/** An atom holding at least one non-ASCII character, early enough to survive the length cut. */
const utf8Atom = fc
  .tuple(
    fc.string({ unit: atext, maxLength: 3 }),
    fc.string({ unit: unicodeLetter, minLength: 1, maxLength: 8 }),
    fc.string({ unit: fc.oneof(atext, unicodeLetter), maxLength: 8 }),
  )
  .map(([a, b, c]) => a + b + c);

const mixedAtom = fc.oneof(
  { arbitrary: fc.string({ unit: fc.oneof({ arbitrary: atext, weight: 3 }, unicodeLetter), minLength: 1, maxLength: 10 }), weight: 12 },
  { arbitrary: fc.string({ unit: unicodeLetter, minLength: 20, maxLength: 40, size: "max" }), weight: 1 },
);

/** One unit of a quoted string: a qtextSMTP character or a quoted pair. */
function quotedToken(unicode: boolean): fc.Arbitrary<string> {
  const qtext = fc.oneof(
    { arbitrary: alnum, weight: 6 },
    { arbitrary: fc.constantFrom(" ", " ", ".", ",", "@", ":", ";", "<", ">", "(", ")", "[", "]", "..", "!", "#"), weight: 3 },
  );
  const pair = fc.constantFrom('\\"', "\\\\", "\\ ", "\\a", "\\@");
  const arbs = [
    { arbitrary: qtext, weight: 10 },
    { arbitrary: pair, weight: 2 },
  ];
  if (unicode) arbs.push({ arbitrary: unicodeLetter, weight: 2 });
  return fc.oneof(...arbs);
}

function quotedLocal(unicode: boolean): fc.Arbitrary<string> {
  return fc.array(quotedToken(unicode), { maxLength: 20 }).map((tokens) => {
    // Drop whole tokens from the end until the quoted string fits in 64 octets.
    let n = tokens.length;
    let body = tokens.join("");
    while (utf8Length(body) + 2 > MAX_LOCAL) body = tokens.slice(0, --n).join("");
    return `"${body}"`;
  });
}

// ---- domains ----

/** A domain as labels (host name) or an address literal. */
type Domain = { labels: string[] } | { literal: string };

const longLabel = fc.string({ unit: ldh, minLength: 50, maxLength: 70, size: "max" }).map(fixLabel);
const asciiLabel = fc.oneof(
  { arbitrary: fc.string({ unit: ldh, minLength: 1, maxLength: 12 }).map(fixLabel), weight: 12 },
  { arbitrary: longLabel, weight: 1 },
);

/** A label of LDH characters: cut to 63 octets, with no hyphen at either end. */
function fixLabel(label: string): string {
  let s = label.slice(0, MAX_LABEL);
  if (s.startsWith("-")) s = "x" + s.slice(1);
  if (s.endsWith("-")) s = s.slice(0, -1) + "x";
  return s;
}

const tld = fc.oneof(
  { arbitrary: fc.constantFrom("com", "org", "net", "example", "test", "de", "jp", "io"), weight: 4 },
  { arbitrary: fc.string({ unit: lower, minLength: 2, maxLength: 10 }), weight: 1 },
);

/** A U-label: IDN letters mixed with some ASCII, cut so that both it and its A-label fit in 63 octets. */
const uLabel = fc
  .tuple(
    fc.string({ unit: idnLetter, minLength: 1, maxLength: 10 }),
    // IDNA2008 U-labels are lower case: no upper-case ASCII among their letters.
    fc.string({ unit: fc.oneof({ arbitrary: idnLetter, weight: 3 }, lower, digit), maxLength: 10 }),
    fc.string({ unit: idnLetter, minLength: 0, maxLength: 40, size: "max" }),
    fc.nat(9),
  )
  .map(([a, b, long, n]) => fitULabel(a + b + (n === 0 ? long : "")));

function fitULabel(label: string): string {
  let s = cutOctets(label, MAX_LABEL);
  while (toALabel(s).length > MAX_LABEL) s = Array.from(s).slice(0, -1).join("");
  return s;
}

function hostDomain(label: fc.Arbitrary<string>): fc.Arbitrary<Domain> {
  return fc.oneof(
    { arbitrary: fc.tuple(fc.array(label, { minLength: 1, maxLength: 3 }), tld).map(([ls, t]): Domain => ({ labels: [...ls, t] })), weight: 20 },
    // A single-label domain (user@localhost) is allowed, though rare.
    { arbitrary: fc.constantFrom("localhost", "mailhost").map((l): Domain => ({ labels: [l] })), weight: 1 },
    // Many long labels: reaches the 254-octet limit after fitting.
    { arbitrary: fc.tuple(fc.array(longLabel, { minLength: 4, maxLength: 6 }), tld).map(([ls, t]): Domain => ({ labels: [...ls, t] })), weight: 1 },
  );
}

const asciiDomain = hostDomain(asciiLabel);

/** A domain with at least one U-label (placed just before the last label, which may be one too). */
const idnDomain: fc.Arbitrary<Domain> = fc
  .tuple(
    fc.array(fc.oneof(asciiLabel, uLabel), { maxLength: 2 }),
    uLabel,
    fc.oneof({ arbitrary: tld, weight: 3 }, uLabel),
  )
  .map(([ls, u, t]): Domain => ({ labels: [...ls, u, t] }));

/** IPv6 text in its common forms, built from 8 groups. */
const ipv6 = fc
  .tuple(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), fc.nat(6), fc.nat(5), fc.nat(3))
  .map(([groups, zeroStart, zeroLength, form]) => {
    const hex = groups.map((g) => g.toString(16));
    if (form === 0) return hex.join(":");
    if (form === 3) {
      // Trailing IPv4 part: six groups then a dotted quad.
      const v4 = [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join(".");
      return hex.slice(0, 6).join(":") + ":" + v4;
    }
    // Compress a run of at least two groups with "::" (RFC 5321 §4.1.3: at most 6 groups besides it);
    // the run's content is dropped, as if it were zeros.
    const start = zeroStart;
    const end = Math.min(8, start + 2 + zeroLength);
    return hex.slice(0, start).join(":") + "::" + hex.slice(end).join(":");
  });

const literalDomain: fc.Arbitrary<Domain> = fc.oneof(
  { withCrossShrink: true },
  fc.ipV4().map((ip): Domain => ({ literal: `[${ip}]` })),
  fc.tuple(ipv6, fc.constantFrom("IPv6", "IPv6", "ipv6")).map(([ip, tag]): Domain => ({ literal: `[${tag}:${ip}]` })),
);

/**
 * Host names for MTA fields: LDH names (U-labels too with `unicode`), sometimes with a trailing
 * dot or an underscore (real MTAs use them), and bare IPv4 and IPv6 addresses.
 */
export function hostName(unicode: boolean): fc.Arbitrary<string> {
  return fc.oneof(
    { withCrossShrink: true },
    { arbitrary: domainName(unicode), weight: 12 },
    { arbitrary: fc.ipV4(), weight: 1 },
    { arbitrary: ipv6, weight: 1 },
  );
}

/** Domain names (no IP addresses), as {@link hostName} writes them. */
export function domainName(unicode: boolean): fc.Arbitrary<string> {
  return fc
    .tuple(unicode ? fc.oneof({ arbitrary: asciiDomain, weight: 6 }, { arbitrary: idnDomain, weight: 1 }) : asciiDomain, fc.nat(19))
    .map(([d, n]) => {
      const labels = "labels" in d ? d.labels : ["localhost"];
      if (n === 1 && utf8Length("mail_" + labels[0]) <= MAX_LABEL) labels[0] = "mail_" + labels[0];
      while (labels.length > 1 && utf8Length(labels.join(".")) > MAX_DOMAIN - 1) labels.shift();
      const name = labels.join(".");
      return n === 0 ? name + "." : name;
    });
}

// ---- assembly ----

/** Writes `local@domain`, dropping leading labels of the domain until the whole fits the limits. */
function assemble(local: string, domain: Domain, unicode: boolean): string {
  if ("literal" in domain) return `${local}@${domain.literal}`;
  const wantIdn = domain.labels.some((l) => !isAscii(l));
  const labels = domain.labels.map((l) => (unicode ? l : toALabel(l)));
  const budget = Math.min(MAX_DOMAIN, MAX_ADDRESS - 1 - utf8Length(local));
  const fits = () => {
    const d = labels.join(".");
    return utf8Length(d) <= budget && labels.map(toALabel).join(".").length <= MAX_DOMAIN;
  };
  while (labels.length > 1 && !fits()) {
    // Keep at least one internationalized label in an IDN domain.
    let i = 0;
    if (wantIdn && labels.filter((l) => !isAscii(l) || l.startsWith("xn--")).length === 1 && (!isAscii(labels[0]!) || labels[0]!.startsWith("xn--"))) i = 1;
    labels.splice(i, 1);
  }
  return `${local}@${labels.join(".")}`;
}

function kindArbitrary(kind: MailboxKind, unicode: boolean): fc.Arbitrary<string> {
  // withCrossShrink: a failure that does not depend on the kind shrinks to a plain address.
  const anyDomain = unicode
    ? fc.oneof({ withCrossShrink: true }, { arbitrary: asciiDomain, weight: 6 }, { arbitrary: idnDomain, weight: 2 }, { arbitrary: literalDomain, weight: 1 })
    : fc.oneof({ withCrossShrink: true }, { arbitrary: asciiDomain, weight: 6 }, { arbitrary: literalDomain, weight: 1 });
  let parts: fc.Arbitrary<[string, Domain]>;
  switch (kind) {
    case "dot-atom":
      parts = fc.tuple(dotAtom(asciiAtom), asciiDomain);
      break;
    case "quoted":
      parts = fc.tuple(quotedLocal(unicode), anyDomain);
      break;
    case "idn":
      parts = fc.tuple(dotAtom(asciiAtom), idnDomain);
      break;
    case "utf8-local":
      parts = fc.tuple(dotAtom(mixedAtom, utf8Atom), fc.oneof({ withCrossShrink: true }, { arbitrary: asciiDomain, weight: 2 }, { arbitrary: idnDomain, weight: 1 }));
      break;
    case "address-literal":
      parts = fc.tuple(dotAtom(asciiAtom), literalDomain);
      break;
  }
  return parts.map(([local, domain]) => assemble(local, domain, unicode));
}

/** Reads and checks the constraints of {@link mailbox}. */
export function mailboxKinds(constraints: MailboxConstraints): { kinds: MailboxKind[]; unicode: boolean } {
  const unicode = constraints.unicode ?? true;
  if (typeof unicode !== "boolean") throw new TypeError(`mailbox: unicode must be a boolean, not ${JSON.stringify(unicode)}`);
  const kinds = constraints.kinds === undefined ? MAILBOX_KINDS.filter((k) => unicode || k !== "utf8-local") : [...constraints.kinds];
  if (kinds.length === 0) throw new RangeError("mailbox: kinds must name at least one kind");
  for (const k of kinds)
    if (!MAILBOX_KINDS.includes(k)) throw new RangeError(`mailbox: unknown kind ${JSON.stringify(k)}; the kinds are ${MAILBOX_KINDS.join(", ")}`);
  if (!unicode && kinds.includes("utf8-local"))
    throw new RangeError('mailbox: the kind "utf8-local" needs non-ASCII; it cannot be combined with unicode: false');
  return { kinds, unicode };
}

/**
 * Generates mailboxes (`local-part@domain`) that RFC 5321 (and RFC 6531, for UTF-8) allows and
 * that `@dsnkit/core` accepts: dot-atom and quoted local parts, host names with LDH labels or
 * U-labels, and IPv4/IPv6 address literals, each within the length limits (local part at most
 * 64 octets, domain at most 253, whole address at most 254). Long local parts and domains near
 * the limits are generated on purpose. Every kind is generated about as often as the others.
 *
 * @param constraints - which kinds, and whether non-ASCII is allowed.
 * @returns an arbitrary of mailbox strings; classify them with {@link mailboxKind}.
 * @throws {RangeError} when the constraints ask for nothing, or for `utf8-local` without unicode.
 * @example
 * fc.sample(mailbox({ kinds: ["dot-atom"] }), { numRuns: 3, seed: 1 });
 * //=> e.g. ["ax@b.com", "k3.z@example", "q@mail-1.test"]
 * fc.sample(mailbox({ kinds: ["idn"], unicode: false }), { numRuns: 1, seed: 1 });
 * //=> e.g. ["b@xn--wgv71a.jp"]
 */
export function mailbox(constraints: MailboxConstraints = {}): fc.Arbitrary<string> {
  const { kinds, unicode } = mailboxKinds(constraints);
  const arbs = kinds.map((k) => kindArbitrary(k, unicode));
  return arbs.length === 1 ? arbs[0]! : fc.oneof({ withCrossShrink: true }, ...arbs);
}

/**
 * Tells which {@link MailboxKind} an address is, for labelling generated values
 * (`fc.statistics`) or for choosing what to expect. A quoted local part wins over the rest, then a
 * UTF-8 local part, an address literal, and an IDN domain (U-labels or `xn--` A-labels).
 *
 * @example
 * mailboxKind('"jane doe"@example.com');
 * //=> "quoted"
 * mailboxKind("info@xn--bcher-kva.example");
 * //=> "idn"
 */
export function mailboxKind(address: string): MailboxKind {
  if (address.startsWith('"')) return "quoted";
  const at = address.lastIndexOf("@");
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (!isAscii(local)) return "utf8-local";
  if (domain.startsWith("[")) return "address-literal";
  if (!isAscii(domain) || domain.split(".").some((l) => l.toLowerCase().startsWith("xn--"))) return "idn";
  return "dot-atom";
}
