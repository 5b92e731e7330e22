/**
 * Differential test: dsnkit's shorthand parser against the AWS CLI v2's own parser
 * (`awscli.shorthand.ShorthandParser` from Debian's `awscli` package), on thousands of generated
 * inputs, valid and broken. The oracle is the AWS CLI's parser with dsnkit's two stricter rules
 * added (a repeated key inside `{…}` and an empty key are errors); everything else must agree:
 * the same value, or an error from both.
 */
import { describe, expect, test } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import fc from "fast-check";
import { parseShorthand, ShorthandSyntaxError } from "../src/aws/shorthand.js";

const AWSCLI_PACKAGE = "/usr/lib/python3/dist-packages/awscli/shorthand.py";

// The oracle: the AWS CLI's parser, plus dsnkit's two stricter rules. Reads JSON strings, one a
// line; writes {"ok": value} or {"error": message}, one a line.
const ORACLE = String.raw`
import json, sys
sys.path.insert(0, "/usr/lib/python3/dist-packages")
from awscli import shorthand

class Stricter(shorthand.ShorthandParser):
    def parse(self, value):
        self._scopes = []
        return super().parse(value)
    def _hash_literal(self):
        self._scopes.append(set())
        try:
            return super()._hash_literal()
        finally:
            self._scopes.pop()
    def _key(self):
        start = self._index
        key = super()._key()
        if key == "":
            raise shorthand.ShorthandParseSyntaxError(self._input_value, "<key>", "<none>", start)
        if self._scopes:
            if key in self._scopes[-1]:
                raise shorthand.DuplicateKeyInObjectError(key, self._input_value, start)
            self._scopes[-1].add(key)
        return key

for line in sys.stdin:
    text = json.loads(line)
    try:
        print(json.dumps({"ok": Stricter().parse(text)}))
    except shorthand.ShorthandParseError as e:
        print(json.dumps({"error": str(e)}))
`;

function awsParse(inputs: readonly string[]): ({ ok: unknown } | { error: string })[] {
  if (!existsSync(AWSCLI_PACKAGE))
    throw new Error(`the AWS CLI v2 is missing (${AWSCLI_PACKAGE}): install Debian's awscli package (sh scripts/test-tools.sh)`);
  const out = execFileSync("/usr/bin/python3", ["-c", ORACLE], {
    input: inputs.map((s) => JSON.stringify(s)).join("\n") + "\n",
    maxBuffer: 64 * 1024 * 1024,
  }).toString("utf8");
  return out
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as { ok: unknown } | { error: string });
}

function ours(text: string): { ok: unknown } | { error: string } {
  try {
    return { ok: parseShorthand(text) };
  } catch (e) {
    if (e instanceof ShorthandSyntaxError) return { error: e.message };
    throw e;
  }
}

// Characters that matter to the grammar, plus whitespace Python and JavaScript disagree about,
// non-ASCII and astral characters.
const SPECIAL = [",", "=", "[", "]", "{", "}", "'", '"', "\\", " ", "\t", "\n", "@", ":", "/", "#", ".", "-", "_"];
const ODD = ["\u00a0", "\u2003", "\x1c", "\x85", "é", "😀", "\x7f", "\x01"];
const char = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("a", "b", "x", "Name", "Value", "1") },
  { weight: 5, arbitrary: fc.constantFrom(...SPECIAL) },
  { weight: 1, arbitrary: fc.constantFrom(...ODD) },
);
const noise = fc.array(char, { maxLength: 6 }).map((cs) => cs.join(""));
const key = fc.constantFrom("a", "b", "Name", "Value", "k-1", "x.y", "a", "Name");
const plain = fc.array(fc.oneof(char, fc.constant("\\,")), { minLength: 0, maxLength: 5 }).map((cs) => cs.join(""));
const quoted = fc
  .tuple(fc.constantFrom("'", '"'), fc.array(fc.oneof(char, fc.constantFrom("\\'", '\\"', "\\\\")), { maxLength: 5 }))
  .map(([q, cs]) => `${q}${cs.join("")}${q}`);

const { value } = fc.letrec<{ value: string; scalar: string; list: string; hash: string; kv: string }>((tie) => ({
  scalar: fc.oneof(plain, quoted),
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { weight: 4, arbitrary: tie("scalar") },
    { weight: 1, arbitrary: fc.array(tie("scalar"), { minLength: 2, maxLength: 3 }).map((xs) => xs.join(",")) },
    { weight: 1, arbitrary: tie("list") },
    { weight: 1, arbitrary: tie("hash") },
  ),
  list: fc.array(fc.oneof(tie("scalar"), tie("list"), tie("hash")), { maxLength: 3 }).map((xs) => `[${xs.join(",")}]`),
  hash: fc.array(tie("kv"), { maxLength: 3 }).map((xs) => `{${xs.join(",")}}`),
  kv: fc.tuple(key, fc.constantFrom("=", " = ", "="), tie("value")).map(([k, eq, v]) => `${k}${eq}${v}`),
}));
const shorthand = fc.array(fc.tuple(key, value).map(([k, v]) => `${k}=${v}`), { minLength: 1, maxLength: 3 }).map((xs) => xs.join(","));
// Valid-looking shorthand, then a few edits (insert or delete characters) to reach the edges.
const mutated = fc
  .tuple(shorthand, fc.array(fc.tuple(fc.nat(), noise, fc.nat({ max: 2 })), { maxLength: 2 }))
  .map(([text, edits]) => {
    let s = text;
    for (const [at, insert, remove] of edits) {
      const i = at % (s.length + 1);
      s = s.slice(0, i) + insert + s.slice(i + remove);
    }
    return s;
  });

describe("shorthand parity with the AWS CLI v2 parser", () => {
  test("agrees on generated inputs, valid and broken", () => {
    const seed = Number(process.env.SHORTHAND_SEED ?? Date.now() % 2 ** 31);
    const inputs = [
      ...fc.sample(shorthand, { numRuns: 2500, seed }),
      ...fc.sample(mutated, { numRuns: 2500, seed: seed + 1 }),
      ...fc.sample(fc.array(char, { maxLength: 14 }).map((cs) => `a=${cs.join("")}`), { numRuns: 1500, seed: seed + 2 }),
    ];
    const expected = awsParse(inputs);
    expect(expected).toHaveLength(inputs.length);
    let errors = 0;
    const mismatches: string[] = [];
    inputs.forEach((input, i) => {
      const theirs = expected[i]!;
      const mine = ours(input);
      if ("error" in theirs) errors++;
      const same = "error" in theirs ? "error" in mine : "ok" in mine && JSON.stringify(sortKeys(mine.ok)) === JSON.stringify(sortKeys(theirs.ok));
      if (!same && mismatches.length < 5)
        mismatches.push(`${JSON.stringify(input)}\n    aws:    ${JSON.stringify(theirs)}\n    dsnkit: ${JSON.stringify(mine)}`);
    });
    expect(mismatches, `seed ${seed} (rerun with SHORTHAND_SEED=${seed})`).toEqual([]);
    // The generators reach both outcomes in earnest.
    expect(errors).toBeGreaterThan(inputs.length / 10);
    expect(errors).toBeLessThan(inputs.length * 0.9);
  });

  test("agrees on hand-picked edge cases", () => {
    const cases = [
      "a='abc\\'",
      "a='a\\\\'b'",
      "a='x\\'y\\'",
      "a=x,'p,q'=z",
      "a=x,'unterminated",
      "a=b,,c=d",
      "a=[x,]",
      "a={b=}",
      "a=x\\",
      "a=x\\\\,y",
      "a= \t x \t ,b=y",
      "a=x\u00a0,b=\u00a0y\u00a0",
      "a=x\x1c",
      "a=😀",
      "a='😀'x",
      "a=x😀",
      "a=é,b=c,d",
      "a=[{b=c},{d=[e,{f=g}]}]",
      "a=b,c=[d,e],f={g=h}",
      "a=,",
      "a=b, ,c=d",
      "a=\"x\\\"",
      "a='''",
    ];
    const expected = awsParse(cases);
    cases.forEach((input, i) => {
      const theirs = expected[i]!;
      const mine = ours(input);
      if ("error" in theirs) expect(mine, input).toHaveProperty("error");
      else expect(mine, input).toEqual({ ok: theirs.ok });
    });
  });
});

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === "object")
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}
