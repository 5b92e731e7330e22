/**
 * What of an original a SendBounce reads: its header block, cut to whole fields within the cap.
 */
import { describe, expect, test } from "vitest";
import { originalHeaderBlock } from "../src/original.js";

const text = (s: string, limit?: number) => new TextDecoder().decode(originalHeaderBlock(new TextEncoder().encode(s), limit));

describe("originalHeaderBlock", () => {
  test("the header block and its empty line, without the body (CRLF, LF, or an empty header)", () => {
    expect(text("Subject: hi\r\nTo: a@example.com\r\n\r\nbody\r\n\r\nmore")).toBe("Subject: hi\r\nTo: a@example.com\r\n\r\n");
    expect(text("Subject: hi\n\nbody")).toBe("Subject: hi\n\n");
    expect(text("\r\nbody")).toBe("\r\n");
    expect(text("Subject: hi\r\n")).toBe("Subject: hi\r\n");
  });

  test("over the cap: whole fields within it, a folded field kept or dropped whole", () => {
    const header = "A: 1\r\nB: 2\r\n folded\r\n more\r\nC: 3\r\n";
    // The cap falls inside B's continuation lines: B goes, A stays.
    expect(text(header + "\r\nbody", 20)).toBe("A: 1\r\n");
    expect(text(header + "\r\nbody", header.length - 1)).toBe("A: 1\r\nB: 2\r\n folded\r\n more\r\n");
    expect(text(header + "\r\nbody", header.length + 2)).toBe(header + "\r\n");
    expect(text("X".repeat(100), 10)).toBe("");
  });
});
