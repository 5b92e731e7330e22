/**
 * Resource limits of the DSN reader. Each one blocks a way hostile input could make parsing cost
 * unbounded time or memory; each default is far above what a real bounce needs.
 *
 * @module
 */

/**
 * Limits on what {@link parseDsn} and {@link checkDsn} will read. Input over a limit gives a
 * {@link DsnParseError} with code `limit_exceeded` (or a `dsnkit.limit-exceeded` finding), never a
 * hang or a crash.
 *
 * @example
 * const limits: ParseLimits = { maxDepth: 8, maxParts: 100 };
 */
export interface ParseLimits {
  /**
   * Most levels of nested multiparts that are opened (default 32). Blocks "multiparts nested
   * 10,000 deep": every open level is compared against each candidate delimiter line, so the cost
   * of a scan is input size times depth. Deeper multiparts are read as opaque leaves.
   */
  maxDepth?: number;
  /** Most MIME entities in the message (default 1,000). Blocks memory blow-up from millions of empty parts. */
  maxParts?: number;
  /**
   * Most octets (UTF-16 code units) of one header block (default 256 KiB). Blocks a header that
   * never ends from being unfolded and copied: reading stops at the limit.
   */
  maxHeaderBytes?: number;
  /** Most fields in one header block or delivery-status block (default 2,000). Blocks millions of tiny fields. */
  maxHeaderFields?: number;
  /** Most per-recipient blocks (default 10,000, as many recipients as a request may have). Blocks memory blow-up. */
  maxRecipients?: number;
  /** Most characters (or bytes) of input (default 128 MiB). Larger input is refused before it is read. */
  maxInputLength?: number;
}

/** {@link ParseLimits} with every value set. */
export type ResolvedParseLimits = Required<ParseLimits>;

/**
 * The default limits.
 *
 * @example
 * DEFAULT_PARSE_LIMITS.maxDepth;
 * //=> 32
 */
export const DEFAULT_PARSE_LIMITS: Readonly<ResolvedParseLimits> = Object.freeze({
  maxDepth: 32,
  maxParts: 1_000,
  maxHeaderBytes: 256 * 1024,
  maxHeaderFields: 2_000,
  maxRecipients: 10_000,
  maxInputLength: 128 * 1024 * 1024,
});

/** The largest value each limit may be set to. */
const HARD_MAX: Readonly<ResolvedParseLimits> = Object.freeze({
  maxDepth: 1_000,
  maxParts: 1_000_000,
  maxHeaderBytes: 64 * 1024 * 1024,
  maxHeaderFields: 1_000_000,
  maxRecipients: 1_000_000,
  maxInputLength: 512 * 1024 * 1024,
});

/**
 * Checks the caller's limits and fills in the defaults.
 *
 * @throws {RangeError} naming the limit, when one is not a whole number in its allowed range.
 */
export function resolveLimits(limits: ParseLimits | undefined): ResolvedParseLimits {
  if (limits === undefined) return DEFAULT_PARSE_LIMITS;
  if (typeof limits !== "object" || limits === null) throw new RangeError("limits must be an object");
  const out = { ...DEFAULT_PARSE_LIMITS };
  for (const key of Object.keys(HARD_MAX) as (keyof ResolvedParseLimits)[]) {
    const v = limits[key];
    if (v === undefined) continue;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > HARD_MAX[key])
      throw new RangeError(`limits.${key} must be a whole number from 1 to ${HARD_MAX[key]}, not ${String(v)}`);
    out[key] = v;
  }
  for (const key of Object.keys(limits)) {
    if (!(key in HARD_MAX)) throw new RangeError(`limits has no option ${JSON.stringify(key)}; it has ${Object.keys(HARD_MAX).join(", ")}`);
  }
  return out;
}
