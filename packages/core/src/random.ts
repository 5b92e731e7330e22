/**
 * Random ids (MIME boundaries, Message-IDs) from one pool of cryptographic random bytes, drawn
 * 1,536 at a time: a call to crypto.getRandomValues costs about as much for 12 bytes as for 1,536,
 * and far more than the rest of an id. Each byte of the pool is handed out once.
 *
 * @module
 */
import { fillRandom } from "./web.js";

/** 1,536 bytes: 128 boundaries of 12 bytes, or 96 Message-IDs of 16. */
const POOL_SIZE = 1536;
const pool = new Uint8Array(POOL_SIZE);
let used = POOL_SIZE;

/** Two hex digits for each byte value. */
const HEX: readonly string[] = Array.from({ length: 256 }, (_, b) => (b < 16 ? "0" : "") + b.toString(16));

/** Where `bytes` unused bytes start in the pool, refilling it first when fewer are left. */
function take(bytes: number): number {
  if (used + bytes > POOL_SIZE) {
    fillRandom(pool);
    used = 0;
  }
  const at = used;
  used += bytes;
  return at;
}

/** `bytes` random bytes (at most 1,536) as lower-case hex digits, two per byte. */
export function randomHex(bytes: number): string {
  let out = "";
  for (let i = take(bytes), end = i + bytes; i < end; i++) out += HEX[pool[i]!]!;
  return out;
}

/** A random number from 0 to 2^31-1, from four bytes of the pool. */
export function randomInt31(): number {
  const i = take(4);
  return ((pool[i]! & 0x7f) << 24) | (pool[i + 1]! << 16) | (pool[i + 2]! << 8) | pool[i + 3]!;
}
