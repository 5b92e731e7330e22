/**
 * Turning the strings of an SES request into typed RFC 3464 values, and mailboxes into header
 * text. Shared by validation (which must judge the text that will be written) and resolution.
 */
import type { DiagnosticCode, Mailbox, MtaName, TypedAddress } from "./model.js";
import { splitTyped } from "./syntax/typed.js";
import { isAscii, trimWsp } from "./syntax/text.js";
import { isHostName, mailboxProblem } from "./syntax/mailbox.js";
import { encodePhrase } from "./mime/rfc2047.js";

/**
 * Reads `mta-name-type; mta-name` the way resolution does: a bare name gets the `dns` type, the
 * type is lower-cased, the name trimmed. For `dns` the name must be a host name or an IP address.
 *
 * @returns the MTA name, or a reason (a string) when it is not usable.
 * @example
 * mtaField("mx.example.com");
 * //=> { type: "dns", name: "mx.example.com" }
 * mtaField("dns;");
 * //=> "the MTA name is empty"
 */
export function mtaField(s: string): MtaName | string {
  const typed = splitTyped(s);
  const type = typed?.type ?? "dns";
  const name = typed?.value ?? trimWsp(s);
  if (name === "") return "the MTA name is empty";
  if (type === "dns" && !isHostName(name)) return `${JSON.stringify(name)} is not a host name or IP address`;
  return { type, name };
}

/**
 * Reads `diagnostic-type; text` the way resolution does: a bare text gets the `smtp` type.
 *
 * @returns the diagnostic code, or a reason (a string) when it is not usable.
 * @example
 * diagnosticField("550 5.1.1 No such user");
 * //=> { type: "smtp", text: "550 5.1.1 No such user" }
 * diagnosticField("X-Unix; exit 67");
 * //=> { type: "x-unix", text: "exit 67" }
 */
export function diagnosticField(s: string): DiagnosticCode | string {
  const typed = splitTyped(s);
  const text = typed?.value ?? trimWsp(s);
  if (text === "") return "has no text after its type";
  return { type: typed?.type ?? "smtp", text };
}

/** The address type for an address: `rfc822` when ASCII, `utf-8` (RFC 6533) otherwise. */
export function typedAddress(address: string): TypedAddress {
  return { type: isAscii(address) ? "rfc822" : "utf-8", address };
}

/** The field name an SES extension Name is written as: `X-<Name>` unless it starts with `X-`. */
export function extensionFieldName(name: string): string {
  return name.length >= 2 && (name.charCodeAt(0) | 0x20) === 0x78 && name.charCodeAt(1) === 0x2d ? name : `X-${name}`;
}

/**
 * Reads `address`, `<address>` or `Display Name <address>` (the name may be quoted). Returns a
 * reason when it is not one mailbox.
 */
export function parseMailboxSpec(s: string): Mailbox | string {
  const t = trimWsp(s);
  if (!t.endsWith(">")) {
    const problem = mailboxProblem(t);
    return problem ?? { address: t };
  }
  const open = t.lastIndexOf("<");
  if (open < 0) return "it ends with > but has no <";
  const address = t.slice(open + 1, -1);
  const problem = mailboxProblem(address);
  if (problem !== undefined) return problem;
  let name = trimWsp(t.slice(0, open));
  if (name.startsWith('"')) {
    if (name.length < 2 || !name.endsWith('"')) return "its display name has an unbalanced quote";
    name = name.slice(1, -1).replace(/\\(.)/g, "$1");
  } else if (/[<>"]/.test(name)) return "its display name has < > or \" outside quotes";
  return name === "" ? { address } : { name, address };
}

/** A mailbox as header text: `address`, or `phrase <address>` with the name encoded as needed. */
export function formatMailbox(m: Mailbox): string {
  return m.name === undefined || m.name === "" ? m.address : `${encodePhrase(m.name)} <${m.address}>`;
}
