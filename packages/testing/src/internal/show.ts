/**
 * Showing message text to a person: the octets decoded as UTF-8, lines split at LF with bare
 * LFs marked, controls made visible and long lines cut. Shared by the conformance report and
 * the probe report.
 */

export interface TextDecoderLike {
  decode(input: Uint8Array): string;
}
/** A UTF-8 decoder (TextDecoder is in every runtime; the package compiles without DOM types). */
export const decoder: TextDecoderLike = new (globalThis as unknown as { TextDecoder: new (label: string) => TextDecoderLike }).TextDecoder("utf-8");

/** A line of the DSN for a person: controls and bare line ends made visible, long lines cut. */
export function showLine(line: string): string {
  let out = "";
  for (const ch of line.length > 240 ? line.slice(0, 240) : line) {
    const c = ch.codePointAt(0)!;
    if (c === 0x09) out += "\\t";
    else if (c < 0x20 || c === 0x7f || (c >= 0x80 && c <= 0x9f)) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else if (c >= 0xd800 && c <= 0xdfff) out += `\\u${c.toString(16)}`;
    else out += ch;
  }
  if (line.length > 240) out += ` … (${line.length - 240} more characters)`;
  return out;
}

/** The DSN's lines (split at LF), each marked when it ends in a bare LF. */
export function dsnLines(dsn: string | Uint8Array): { text: string; bareLf: boolean }[] {
  const text = typeof dsn === "string" ? dsn : decoder.decode(dsn);
  const parts = text.split("\n");
  if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
  return parts.map((p, i) => {
    const last = i === parts.length - 1 && !text.endsWith("\n");
    const crlf = p.endsWith("\r");
    return { text: crlf ? p.slice(0, -1) : p, bareLf: !last && !crlf };
  });
}
