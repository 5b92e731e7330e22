/**
 * The XML of the SES query protocol (API version 2010-12-01): `<ActionResponse>` documents for
 * success and `<ErrorResponse>` for errors.
 *
 * @module
 */
import type { SesError } from "./errors.js";

/**
 * The XML namespace of the SES v1 API.
 *
 * @example
 * SES_XMLNS;
 * //=> "http://ses.amazonaws.com/doc/2010-12-01/"
 */
export const SES_XMLNS = "http://ses.amazonaws.com/doc/2010-12-01/";

/** Characters XML 1.0 cannot hold at all (most C0 controls, lone surrogates, U+FFFE/FFFF). */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const SPECIAL = /[&<>"']/g;
const ENTITY: Readonly<Record<string, string>> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/**
 * Escapes text for an XML element or attribute. Characters XML 1.0 cannot carry (control
 * characters, lone surrogates) are written as `\u{HHHH}` so that an error message quoting hostile
 * input still parses.
 *
 * @example
 * escapeXml('a<b & "c"\u0001');
 * //=> "a&lt;b &amp; &quot;c&quot;\\u{0001}"
 */
export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, (c) => `\\u{${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}}`)
    .replace(SPECIAL, (c) => ENTITY[c]!);
}

/**
 * Writes a successful response: `<{action}Response>` holding `<{action}Result>` (with `result`,
 * already XML) and the request id.
 *
 * @example
 * successXml("SendBounce", "<MessageId>m1</MessageId>", "r1").includes("<SendBounceResult><MessageId>m1</MessageId></SendBounceResult>");
 * //=> true
 */
export function successXml(action: string, result: string, requestId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<${action}Response xmlns="${SES_XMLNS}">\n` +
    (result === "" ? `  <${action}Result/>\n` : `  <${action}Result>${result}</${action}Result>\n`) +
    `  <ResponseMetadata>\n    <RequestId>${escapeXml(requestId)}</RequestId>\n  </ResponseMetadata>\n` +
    `</${action}Response>\n`
  );
}

/**
 * Writes an error response the way SES does: `<ErrorResponse>` with `Type`, `Code`, `Message`
 * and the request id.
 *
 * @example
 * errorXml(new SesError("Throttling", "Maximum sending rate exceeded."), "r1").includes("<Code>Throttling</Code>");
 * //=> true
 */
export function errorXml(error: SesError, requestId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<ErrorResponse xmlns="${SES_XMLNS}">\n` +
    `  <Error>\n` +
    `    <Type>${error.type}</Type>\n` +
    `    <Code>${error.code}</Code>\n` +
    `    <Message>${escapeXml(error.message)}</Message>\n` +
    Object.entries(error.fields)
      .map(([name, value]) => `    <${name}>${escapeXml(value)}</${name}>\n`)
      .join("") +
    `  </Error>\n` +
    `  <RequestId>${escapeXml(requestId)}</RequestId>\n` +
    `</ErrorResponse>\n`
  );
}
