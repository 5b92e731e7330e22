import { afterEach, describe, expect, test, vi } from "vitest";
import { randomHex, randomInt31 } from "../src/random.js";
import { renderBounce, resolveBounce } from "@dsnkit/core";
import type { SendBounceRequest } from "@dsnkit/core";

/**
 * Replaces the platform's random source with a counter: fill k of the 1,536-byte pool holds the
 * octets 0, 1, ..., 255, 0, 1, ... (1,536 is six times 256), so where each id's bytes came from
 * in the pool can be read off the id.
 */
function countingSource() {
  return vi.spyOn(globalThis.crypto, "getRandomValues").mockImplementation(<T extends ArrayBufferView | null>(array: T): T => {
    const bytes = array as unknown as Uint8Array;
    for (let i = 0; i < bytes.length; i++) bytes[i] = i & 0xff;
    return array;
  });
}

/** The hex of `n` consecutive pool bytes starting at `at` under {@link countingSource}. */
function counted(at: number, n: number): string {
  let out = "";
  for (let i = at; i < at + n; i++) out += (i & 0xff).toString(16).padStart(2, "0");
  return out;
}

const request: SendBounceRequest = {
  OriginalMessageId: "0100019abc",
  BounceSender: "mailer-daemon@example.com",
  BouncedRecipientInfoList: [{ Recipient: "nobody@example.com", BounceType: "DoesNotExist" }],
};

describe("the random pool", () => {
  afterEach(() => vi.restoreAllMocks());

  test("draws 1,536 bytes at a time and hands each byte out once, in order", () => {
    const source = countingSource();
    // Use up what an earlier test left in the pool: the first id drawn from a fresh fill starts at its byte 0.
    let first = randomHex(16);
    while (source.mock.calls.length === 0) first = randomHex(16);
    expect(first).toBe(counted(0, 16));
    const ids = [first];
    for (let i = 1; i < 96; i++) ids.push(randomHex(16));
    expect(source).toHaveBeenCalledTimes(1);
    expect(ids).toEqual(Array.from({ length: 96 }, (_, i) => counted(16 * i, 16)));
    // 96 ids of 16 bytes use the pool up: the next one comes from a new fill, none from the rest of the old.
    expect(randomHex(16)).toBe(counted(0, 16));
    expect(source).toHaveBeenCalledTimes(2);
  });

  test("an id that does not fit in what is left comes whole from a new fill", () => {
    const source = countingSource();
    while (source.mock.calls.length === 0) randomHex(16);
    for (let i = 1; i < 95; i++) randomHex(16); // 1,520 bytes used, 16 left
    expect(randomInt31()).toBe(((1520 & 0xff & 0x7f) << 24) | ((1521 & 0xff) << 16) | ((1522 & 0xff) << 8) | (1523 & 0xff));
    expect(randomHex(12)).toBe(counted(1524, 12)); // exactly the 12 left
    expect(source).toHaveBeenCalledTimes(1);
    expect(randomHex(2)).toBe(counted(0, 2));
    expect(source).toHaveBeenCalledTimes(2);
  });

  test("a renderBounce with neither Message-ID nor boundary given calls the platform's source once per 1,536 bytes, not per id", () => {
    const source = vi.spyOn(globalThis.crypto, "getRandomValues");
    // Start from a fresh fill of real random bytes (an earlier test may have left counted ones).
    while (source.mock.calls.length === 0) randomHex(16);
    source.mockClear();
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const { raw, boundary } = renderBounce(request, { originalSender: "sender@example.org" });
      const id = /^Message-ID: (.*)$/m.exec(raw)![1]!;
      expect(id).toMatch(/^<[0-9a-f]{32}@example\.com>$/);
      expect(boundary).toMatch(/^=_dsnkit_[0-9a-f]{24}$/);
      seen.add(id).add(boundary);
    }
    expect(seen.size).toBe(200);
    // 100 bounces take 2,800 bytes (16 for the Message-ID, 12 for the boundary): the 1,520 bytes left and one more fill
    // (without the pool: 200 calls).
    expect(source).toHaveBeenCalledTimes(1);
    expect(resolveBounce(request, { originalSender: "sender@example.org" }).messageId).not.toBe(resolveBounce(request, { originalSender: "sender@example.org" }).messageId);
  });
});
