/**
 * The layout of a DSN, line by line, with the values its sender generates afresh for each bounce
 * masked (ids, boundary numbers, dates, the sending address, Feedback-ID's hash, the region):
 * two bounces from the same system, of the same request, have the same skeleton. It keeps every
 * header field name and its order, every part header, every delivery-status field and its
 * order, the form of each date, and every empty line; of the returned original's header it keeps
 * the field names.
 */

const DATE_WORD = /\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b/g;

/**
 * A date's form: its digits as 9s and its day and month names as Www, so a year 2026 and 26
 * differ; the day of the month, which may have one digit or two, is D.
 */
function dateForm(value: string): string {
  return value.replace(/^( ?\w{3}, )\d{1,2} /, "$1D ").replace(/\d/g, "9").replace(DATE_WORD, "Www");
}

/** The region, SES message ids, boundaries and the like, masked in one line. */
function maskGenerated(line: string): string {
  return line
    .replace(/----=_Part_\d+_\d+\.\d{13}/g, "----=_Part_N_N.EPOCHMS")
    .replace(/<[0-9a-z-]+@[a-z]{2}(?:-[a-z0-9]+)+-\d\.amazonses\.com>/g, "<SES-ID@REGION.amazonses.com>")
    .replace(/inbound-smtp\.[a-z]{2}(?:-[a-z0-9]+)+-\d\.amazonaws\.com/g, "inbound-smtp.REGION.amazonaws.com");
}

function fieldName(line: string): string | undefined {
  return /^([!-9;-~]+):/.exec(line)?.[1];
}

function topField(line: string): string {
  const name = fieldName(line)?.toLowerCase();
  const value = line.slice(line.indexOf(":") + 1);
  if (name === "date") return `Date:${dateForm(value)}`;
  if (name === "x-ses-outgoing") return `X-SES-Outgoing:${value.replace(/^ \d{4}\.\d{2}\.\d{2}-(?:\d{1,3}\.){3}\d{1,3}$/, " YYYY.MM.DD-IPV4")}`;
  if (name === "feedback-id") return `Feedback-ID:${value.replace(/^ 1\.[a-z]{2}(?:-[a-z0-9]+)+-\d\.[A-Za-z0-9+/]+=:AmazonSES$/, " 1.REGION.BASE64=:AmazonSES")}`;
  return maskGenerated(line);
}

/**
 * The skeleton of a multipart/report DSN with CRLF line ends (see the module comment).
 *
 * @example
 * skeleton(raw).slice(0, 2);
 * //=> ["Date: Www, D Www 9999 99:99:99 +9999", "From: mailer-daemon@example.com"]
 */
export function skeleton(raw: string): string[] {
  const boundary = /boundary="([^"]+)"/.exec(raw)?.[1];
  if (boundary === undefined) throw new Error("skeleton: the message has no boundary");
  const out: string[] = [];
  type State = "top" | "part-header" | "body";
  let state: State = "top";
  let partType = "";
  for (const line of raw.split("\r\n")) {
    if (line === `--${boundary}` || line === `--${boundary}--`) {
      out.push(line === `--${boundary}` ? "--BOUNDARY" : "--BOUNDARY--");
      state = "part-header";
      partType = "";
      continue;
    }
    if (state === "top") {
      if (line === "") state = "body";
      out.push(line === "" || /^[ \t]/.test(line) ? maskGenerated(line) : topField(line));
    } else if (state === "part-header") {
      if (/^content-type:/i.test(line)) partType = line.slice(13).trim().split(";")[0]!.toLowerCase();
      if (line === "") state = "body";
      out.push(line);
    } else if (partType === "text/rfc822-headers") {
      // The original's own header: its field names, not what they say.
      if (line === "") out.push("");
      else if (!/^[ \t]/.test(line)) out.push(`${fieldName(line) ?? line}:`);
    } else if (/^arrival-date:/i.test(line)) out.push(`Arrival-Date:${dateForm(line.slice(13))}`);
    else out.push(maskGenerated(line));
  }
  return out;
}
