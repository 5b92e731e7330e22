/**
 * SES-style message ids: `0100` + the time in milliseconds as 12 hex digits, a random UUID, and
 * `-000000`, e.g. `010001a2174c3500-1b4e28ba-2fa1-41d2-883f-0016d3cca427-000000`. The fixed-width
 * time prefix makes ids sort by the time they were made; the UUID makes them unique.
 *
 * @module
 */
import { randomUUID } from "node:crypto";

const ID = /^0100([0-9a-f]{12})-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-000000$/;
const MAX_MS = 0xffffffffffff;

/**
 * Makes an SES-style message id for the time `ms` (milliseconds since the epoch).
 *
 * @param ms - the time the id stands for; 0 to 2^48-1.
 * @param uuid - the random part; a fresh `crypto.randomUUID()` by default.
 * @throws {RangeError} when `ms` is out of range or `uuid` is not a lower-case UUID.
 * @example
 * sesMessageId(Date.UTC(2026, 10, 26, 10), "1b4e28ba-2fa1-41d2-883f-0016d3cca427");
 * //=> "010001a2174c3500-1b4e28ba-2fa1-41d2-883f-0016d3cca427-000000"
 */
export function sesMessageId(ms: number, uuid: string = randomUUID()): string {
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_MS) throw new RangeError(`sesMessageId: ${ms} is not a time in milliseconds from 0 to 2^48-1`);
  const id = `0100${ms.toString(16).padStart(12, "0")}-${uuid}-000000`;
  if (!ID.test(id)) throw new RangeError(`sesMessageId: ${JSON.stringify(uuid)} is not a lower-case UUID`);
  return id;
}

/**
 * True when `id` has the shape of an id made by {@link sesMessageId}.
 *
 * @example
 * isSesMessageId("010001a2174c3500-1b4e28ba-2fa1-41d2-883f-0016d3cca427-000000");
 * //=> true
 * isSesMessageId("<abc@example.com>");
 * //=> false
 */
export function isSesMessageId(id: string): boolean {
  return ID.test(id);
}

/**
 * The time an SES-style id stands for, or `undefined` when `id` is not one.
 *
 * @example
 * sesMessageIdTime("010001a2174c3500-1b4e28ba-2fa1-41d2-883f-0016d3cca427-000000")?.toISOString();
 * //=> "2026-11-26T10:00:00.000Z"
 */
export function sesMessageIdTime(id: string): Date | undefined {
  const m = ID.exec(id);
  return m ? new Date(parseInt(m[1]!, 16)) : undefined;
}

/**
 * Returns a function that makes ids for a clock's readings, never going back in time: when the
 * clock reads earlier than the last id, the last id's time is used again, so ids sort in the order
 * they were made to the millisecond.
 *
 * @example
 * const next = sesMessageIdSequence();
 * const a = next(new Date("2026-11-26T10:00:01Z"));
 * const b = next(new Date("2026-11-26T10:00:00Z")); // the clock went back
 * sesMessageIdTime(b)!.getTime() === sesMessageIdTime(a)!.getTime();
 * //=> true
 */
export function sesMessageIdSequence(): (at: Date) => string {
  let last = 0;
  return (at: Date) => {
    const ms = Math.max(last, Math.min(MAX_MS, Math.max(0, Math.floor(at.getTime()))));
    last = ms;
    return sesMessageId(ms);
  };
}
