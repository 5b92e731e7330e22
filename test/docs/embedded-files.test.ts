/**
 * A guide that shows a file of the repository (`<!-- file: PATH -->` before a fenced block) shows
 * it word for word, so that what the tests run is what the reader copies.
 */
import { readFileSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import { expect, test } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const guides = readdirSync(resolve(root, "docs")).filter((f) => f.endsWith(".md"));
const embedded = guides.flatMap((guide) =>
  [...readFileSync(resolve(root, "docs", guide), "utf8").matchAll(/<!-- file: (\S+) -->\n```[a-z]*\n([\s\S]*?)```\n/g)].map((m) => ({ guide, file: m[1]!, block: m[2]! })),
);

test("the guides show the files of the recipe and the examples", () => {
  expect(embedded.map((e) => `${e.guide}: ${e.file}`)).toEqual(
    expect.arrayContaining([
      "ses.md: packages/ses/examples/receipt-rule-lambda.ts",
      "ses-local.md: docs/examples/bounce-unknown-users/known-users.json",
      "ses-local.md: docs/examples/bounce-unknown-users/unknown-users.json",
    ]),
  );
});

test.each(embedded.map((e) => [e.guide, e.file, e.block]))("%s shows %s as it is", (_guide, file, block) => {
  expect(block).toBe(readFileSync(resolve(root, file), "utf8"));
});
