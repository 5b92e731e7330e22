/**
 * What of an original message a SendBounce reads: its header block, at most
 * {@link MAX_ORIGINAL_HEADER_READ} octets of it.
 *
 * SES returns the original's header fields (text/rfc822-headers, at most 50,000 octets of them),
 * never its body; so the bounce is rendered from the header block alone, and from at most 256 KiB
 * of it, read from the store cut to that size. Without the cap, an original of 39 MB of header
 * fields kept the event loop busy for seconds on one call (reading 39 MB, then splitting and
 * ranking 800,000 fields to return 50 kB of them), during which no other request was answered;
 * with it, a call costs about the same whatever the original's size. A real header is far
 * smaller (Postfix keeps 100 kB of one by default); fields past the cap are treated like fields
 * cut for size.
 *
 * @module
 */

/**
 * Most octets of an original's header block read to render its bounce: 256 KiB, as much as
 * `parseDsn` reads of a header block (`ParseLimits.maxHeaderBytes`).
 *
 * @example
 * MAX_ORIGINAL_HEADER_READ;
 * //=> 262144
 */
export const MAX_ORIGINAL_HEADER_READ = 256 * 1024;

/**
 * The original's header block, up to and including the empty line that ends it; or, when the
 * block is longer than `limit` octets, its whole lines (a field with its continuation lines is
 * kept or dropped whole) within the first `limit` octets. A view of `raw`, not a copy.
 *
 * @example
 * new TextDecoder().decode(originalHeaderBlock(new TextEncoder().encode("Subject: hi\r\n\r\nbody")));
 * //=> "Subject: hi\r\n\r\n"
 */
export function originalHeaderBlock(raw: Uint8Array, limit = MAX_ORIGINAL_HEADER_READ): Uint8Array {
  const window = raw.subarray(0, Math.min(raw.length, limit + 3));
  // The empty line: an LF right after the LF that ends the line before it (CR or not).
  let pos = 0;
  for (;;) {
    const nl = window.indexOf(0x0a, pos);
    if (nl < 0 || nl >= limit) break;
    if (nl === 0 || (nl === 1 && raw[0] === 0x0d)) return raw.subarray(0, nl + 1);
    const next = nl + 1;
    if (raw[next] === 0x0a) return raw.subarray(0, next + 1);
    if (raw[next] === 0x0d && raw[next + 1] === 0x0a) return raw.subarray(0, next + 2);
    pos = next;
  }
  if (raw.length <= limit) return raw;
  // Over the cap: cut after the last line end within it that a new field (not white space) follows.
  for (let nl = raw.lastIndexOf(0x0a, limit - 1); nl >= 0; nl = nl === 0 ? -1 : raw.lastIndexOf(0x0a, nl - 1)) {
    const c = raw[nl + 1];
    if (c !== 0x20 && c !== 0x09) return raw.subarray(0, nl + 1);
  }
  return raw.subarray(0, 0);
}
