import { describe, expect, test } from "vitest";
import { fc, test as fcTest } from "@fast-check/vitest";
import { canFold, foldField, LineTooLongError } from "../src/mime/fold.js";
import { encodeQuotedPrintable } from "../src/mime/qp.js";
import { decodeBase64, encodeBase64 } from "../src/mime/base64.js";
import { encodePhrase, encodeUnstructured, encodeWords } from "../src/mime/rfc2047.js";
import { decodeUtf8Address, encodeUtf8Address } from "../src/mime/xtext.js";
import { utf8Length } from "../src/syntax/text.js";

const unfold = (s: string) => s.replace(/\r\n/g, "");
const lines = (s: string) => s.split("\r\n");

describe("foldField", () => {
  test("a short field stays on one line", () => {
    expect(foldField("Status", "5.1.1")).toBe("Status: 5.1.1");
  });

  test("folds before white space, at most 78 characters a line, and unfolds to the same field", () => {
    const value = "smtp; 550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in virtual mailbox table";
    const folded = foldField("Diagnostic-Code", value);
    expect(lines(folded)).toEqual([
      "Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.com>: Recipient address",
      " rejected: User unknown in virtual mailbox table",
    ]);
    expect(unfold(folded)).toBe(`Diagnostic-Code: ${value}`);
  });

  test("never leaves the name alone on the first line", () => {
    const folded = foldField("Subject", "=?UTF-8?B?" + "A".repeat(70) + "?= next");
    expect(lines(folded)[0]).toMatch(/^Subject: =\?UTF-8/);
  });

  test("a word over 78 characters gets a line of its own; one over 998 octets cannot be folded", () => {
    const long = "x".repeat(200);
    expect(lines(foldField("X-A", `a ${long} b`))).toEqual(["X-A: a", ` ${long}`, " b"]);
    expect(canFold("X-A", "y".repeat(990))).toBe(true);
    expect(canFold("X-A", "y".repeat(995))).toBe(false);
    expect(() => foldField("X-A", "y".repeat(995))).toThrow(LineTooLongError);
    // Octets, not characters: 400 three-octet characters are 1,200 octets.
    expect(canFold("X-A", "語".repeat(400))).toBe(false);
    expect(canFold("X-A", "語".repeat(300))).toBe(true);
  });

  test("runs of spaces never produce a line of white space only", () => {
    const folded = foldField("X-A", "a" + " ".repeat(100) + "b");
    for (const l of lines(folded)) expect(l.trim()).not.toBe("");
    expect(unfold(folded)).toBe("X-A: a" + " ".repeat(100) + "b");
  });

  fcTest.prop([fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/), fc.array(fc.stringMatching(/^[!-~]{1,120}$/), { minLength: 1, maxLength: 40 }), fc.constantFrom(" ", "  ", "\t")])(
    "folding keeps every line within 998 octets (78 where a word allows) and unfolds to the input",
    (name, words, sep) => {
      const value = words.join(sep);
      const folded = foldField(name, value);
      expect(unfold(folded)).toBe(`${name}: ${value}`);
      for (const l of lines(folded)) {
        expect(utf8Length(l)).toBeLessThanOrEqual(998);
        if (l.length > 78) expect(l.trim()).not.toMatch(/\s\S/); // one word only: no break point left
        expect(l.trim()).not.toBe("");
      }
    },
  );
});

describe("quoted-printable", () => {
  test("encodes UTF-8, '=', and trailing white space; keeps lines under 77 characters", () => {
    expect(encodeQuotedPrintable("a=b \nGrüße\t\n")).toBe("a=3Db=20\r\nGr=C3=BC=C3=9Fe=09\r\n");
    const qp = encodeQuotedPrintable("ü".repeat(100));
    for (const l of lines(qp)) expect(l.length).toBeLessThanOrEqual(76);
    // A soft break never splits the octets of one character.
    for (const l of lines(qp)) expect(l.replace(/=$/, "")).toMatch(/^(=C3=BC)*$/);
  });

  fcTest.prop([fc.string({ unit: "grapheme", maxLength: 300 })])("decodes back to the text (as a QP decoder reads it)", (text) => {
    const encoded = encodeQuotedPrintable(text.replace(/\r/g, ""));
    for (const l of lines(encoded)) expect(l.length).toBeLessThanOrEqual(76);
    const bytes: number[] = [];
    const joined = encoded.replace(/=\r\n/g, "");
    for (let i = 0; i < joined.length; i++) {
      if (joined[i] === "=") {
        bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
        i += 2;
      } else if (joined[i] === "\r" && joined[i + 1] === "\n") {
        bytes.push(10);
        i++;
      } else bytes.push(joined.charCodeAt(i));
    }
    expect(new TextDecoder().decode(new Uint8Array(bytes))).toBe(text.replace(/\r/g, ""));
  });
});

describe("base64", () => {
  test("RFC 4648 test vectors", () => {
    const enc = (s: string) => encodeBase64(new TextEncoder().encode(s));
    expect(["", "f", "fo", "foo", "foob", "fooba", "foobar"].map(enc)).toEqual(["", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"]);
  });
  fcTest.prop([fc.uint8Array({ maxLength: 200 })])("decode(encode(x)) = x, with line breaks anywhere", (bytes) => {
    const text = encodeBase64(bytes).replace(/(.{7})/g, "$1\r\n");
    expect(decodeBase64(text)).toEqual(bytes);
  });
  test("a character outside the alphabet is refused", () => {
    expect(decodeBase64("Zm9v*")).toBeUndefined();
  });
});

describe("RFC 2047 and phrases", () => {
  test("encoded-words are at most 64 characters and never split a character", () => {
    const words = encodeWords("日本語".repeat(20)).split(" ");
    for (const w of words) {
      expect(w.length).toBeLessThanOrEqual(64);
      const b64 = w.slice("=?UTF-8?B?".length, -2);
      expect(() => new TextDecoder("utf-8", { fatal: true }).decode(decodeBase64(b64))).not.toThrow();
    }
  });
  test("phrases: atoms stay, specials are quoted, non-ASCII is encoded", () => {
    expect(encodePhrase("Mail Delivery System")).toBe("Mail Delivery System");
    expect(encodePhrase('Doe, "J" \\o/')).toBe('"Doe, \\"J\\" \\\\o/"');
    expect(encodePhrase("Zoë")).toBe("=?UTF-8?B?Wm/Dqw==?=");
    expect(encodePhrase("=?x?")).toBe('"=?x?"');
  });
  test("an ASCII Subject that looks like an encoded-word is encoded, so readers do not decode it", () => {
    expect(encodeUnstructured("plain")).toBe("plain");
    expect(encodeUnstructured("=?UTF-8?B?QQ==?=")).toMatch(/^=\?UTF-8\?B\?/);
  });
});

describe("RFC 6533 utf-8 addresses", () => {
  test("xtext escapes non-ASCII, space, '+', '=' and '\\\\'; unitext keeps UTF-8", () => {
    expect(encodeUtf8Address("a+b=c@例.jp", false)).toBe("a\\x{2B}b\\x{3D}c@\\x{4F8B}.jp");
    expect(encodeUtf8Address("a+b@例.jp", true)).toBe("a\\x{2B}b@例.jp");
    expect(encodeUtf8Address("😀@x.y", false)).toBe("\\x{1F600}@x.y");
  });
  fcTest.prop([fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }), fc.boolean()])("decode(encode(x)) = x", (s, unitext) => {
    expect(decodeUtf8Address(encodeUtf8Address(s, unitext))).toBe(s);
  });
  test("malformed escapes are refused", () => {
    expect(decodeUtf8Address("a\\x{}b")).toBeUndefined();
    expect(decodeUtf8Address("a\\x{D800}b")).toBeUndefined();
    expect(decodeUtf8Address("a\\x{110000}")).toBeUndefined();
    expect(decodeUtf8Address("a\\y")).toBeUndefined();
  });
});
