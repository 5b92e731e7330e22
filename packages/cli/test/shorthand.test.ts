import { describe, expect, test } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseShorthand, ShorthandSyntaxError } from "../src/aws/shorthand.js";
import { readTextParamFile } from "../src/aws/paramfile.js";

function fails(text: string): ShorthandSyntaxError {
  try {
    parseShorthand(text);
  } catch (e) {
    if (e instanceof ShorthandSyntaxError) return e;
    throw e;
  }
  throw new Error(`parsed: ${text}`);
}

describe("parseShorthand: values the AWS CLI reads", () => {
  test.each<[string, unknown]>([
    ["a=b", { a: "b" }],
    ["a=b,c=d", { a: "b", c: "d" }],
    ["a=b,c", { a: ["b", "c"] }],
    ["a=b,c,d=e", { a: ["b", "c"], d: "e" }],
    ["a=b , c = d", { a: "b", c: "d" }],
    ["ReportingMta=dns; mx.example.com,ArrivalDate=2026-11-26", { ReportingMta: "dns; mx.example.com", ArrivalDate: "2026-11-26" }],
    ["ReportingMta=  spaced  ", { ReportingMta: "spaced" }],
    ["a=", { a: "" }],
    ["a=,b=c", { a: "", b: "c" }],
    ["a=x=y", { a: "x=y" }],
    ["a=x[y{z", { a: "x[y{z" }],
    ["a=b c=d", { a: "b c=d" }],
    ["a=x\\,y", { a: "x,y" }],
    ["a=x\\,y,z", { a: ["x,y", "z"] }],
    ["a='x,y'", { a: "x,y" }],
    ['a="x,y"', { a: "x,y" }],
    ["a='it\\'s'", { a: "it's" }],
    ['a="say \\"hi\\""', { a: 'say "hi"' }],
    ["a='back\\\\slash'", { a: "back\\slash" }],
    ["a=x,'y,z',w", { a: ["x", "y,z", "w"] }],
    ["a=[]", { a: [] }],
    ["a=[x,y]", { a: ["x", "y"] }],
    ["a=[ x , y ]", { a: ["x", "y"] }],
    ["a=[x,,y]", { a: ["x", "", "y"] }],
    ["a=[[x],[y,z]]", { a: [["x"], ["y", "z"]] }],
    ["a={}", { a: {} }],
    ["a={b=c,d=[e,f]}", { a: { b: "c", d: ["e", "f"] } }],
    ["a=[{Name=n,Value=v},{Name=m,Value='x,y'}]", { a: [{ Name: "n", Value: "v" }, { Name: "m", Value: "x,y" }] }],
    ["k-1=a,k_2=b,k.3=c,k#4=d,k/5=e,k:6=f", { "k-1": "a", k_2: "b", "k.3": "c", "k#4": "d", "k/5": "e", "k:6": "f" }],
    ["a=é,b=ñandú", { a: "é", b: "ñandú" }],
    ["a='😀'", { a: "😀" }],
    ["a=x,y]", { a: ["x", "y]"] }],
    ["__proto__=x", JSON.parse('{"__proto__":"x"}')],
  ])("%s", (text, expected) => {
    expect(parseShorthand(text)).toEqual(expected);
  });

  test("__proto__ stays an own key, never a prototype", () => {
    const v = parseShorthand("__proto__={polluted=yes}");
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("parseShorthand: what it refuses, and where", () => {
  test.each<[string, RegExp, number]>([
    ["a", /expected "=" after the key "a", found the end of the value/, 1],
    ["a=b,", /expected a value after the last ","/, 4],
    ["a=b,a=c", /the key "a" is given twice; often a ","/, 4],
    ["Recipient=a@b.c,Recipient=d@e.f", /the key "Recipient" is given twice/, 16],
    ["a={b=1,b=2}", /the key "b" is given twice/, 7],
    ["=x", /expected a key/, 0],
    ["a=[x,y", /the list opened at character 3 has no closing "\]"/, 6],
    ["a={b=c", /the structure opened at character 3 has no closing "}"/, 6],
    ["a='x", /single-quoted value has no closing '/, 2],
    ["a=\"x", /double-quoted value has no closing "/, 2],
    ["a=x😀", /"😀" cannot appear in an unquoted value; put the value in quotes/, 3],
    ["a=[x]  ", /expected "," between key=value pairs, found the end of the value/, 7],
    ["a=x[y]{z}", /expected "," between key=value pairs, found "\]"/, 5],
    ["{\"a\":1}", /expected a key/, 0],
    ["a@=file://x", /reads a file, which is not possible here/, 1],
  ])("%s", (text, message, index) => {
    const e = fails(text);
    expect(e.message).toMatch(message);
    expect(e.index).toBe(index);
  });

  test("the pointer puts a caret under the problem", () => {
    expect(fails("Recipient=q@y.z,Recipient={Action=failed}").pointer()).toBe(
      "Recipient=q@y.z,Recipient={Action=failed}\n                ^",
    );
    expect(fails("a=b,\nc==d,c=e").pointer()).toBe("c==d,c=e\n  ^");
  });
});

describe("parseShorthand: Key@=file://", () => {
  test("reads file:// values of @= keys, and only those", () => {
    const dir = mkdtempSync(join(tmpdir(), "dsnkit-shorthand-"));
    try {
      writeFileSync(join(dir, "v.txt"), "from, the file\r\nline 2");
      const f = `file://${join(dir, "v.txt")}`;
      const load = readTextParamFile;
      expect(parseShorthand(`Value@=${f},Name=n`, { loadFile: load })).toEqual({ Value: "from, the file\nline 2", Name: "n" });
      expect(parseShorthand(`Name=${f}`, { loadFile: load })).toEqual({ Name: f });
      expect(parseShorthand(`Value@=plain`, { loadFile: load })).toEqual({ Value: "plain" });
      expect(parseShorthand(`L@=[${f},x]`, { loadFile: load })).toEqual({ L: ["from, the file\nline 2", "x"] });
      expect(parseShorthand(`S={Value@="${f}",Name=${f}}`, { loadFile: load })).toEqual({ S: { Value: "from, the file\nline 2", Name: f } });
      const missing = (() => {
        try {
          parseShorthand(`Value@=file://${join(dir, "nope.txt")}`, { loadFile: load });
        } catch (e) {
          return e as ShorthandSyntaxError;
        }
        throw new Error("parsed");
      })();
      expect(missing.message).toMatch(/cannot read .*nope\.txt: no such file/);
      expect(() => parseShorthand(`Value@=fileb://${join(dir, "v.txt")}`, { loadFile: load })).toThrow(/fileb:\/\/ reads binary data/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test("hostile input costs linear time: a long run of backslashes in an unclosed quote", () => {
  // The AWS CLI's own regular expression backtracks exponentially here; the parser must not.
  const text = `a='${"\\\\".repeat(50_000)}`;
  expect(() => parseShorthand(text)).toThrow(ShorthandSyntaxError);
});

test("nesting is limited to 64 levels, with a clear error rather than a stack overflow at 20,000", () => {
  const nested = (n: number, open = "[", close = "]") => `a=${open.repeat(n)}${close.repeat(n)}`;
  expect(() => parseShorthand(nested(64))).not.toThrow();
  for (const text of [nested(65), nested(20_000), `a={${"A={".repeat(20_000)}${"}".repeat(20_001)}`])
    expect(() => parseShorthand(text)).toThrow("lists and structures are nested more than 64 deep here; SendBounce's parameters nest at most 4 deep");
});
