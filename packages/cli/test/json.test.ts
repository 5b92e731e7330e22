import { expect, test } from "vitest";
import { fc, test as fcTest } from "@fast-check/vitest";
import { findJsonError } from "../src/json.js";

const agrees = (text: string) => {
  let valid = true;
  try {
    JSON.parse(text);
  } catch {
    valid = false;
  }
  expect(findJsonError(text) === undefined).toBe(valid);
};

fcTest.prop([fc.json()])("finds nothing wrong in any JSON text", (text) => agrees(text));

fcTest.prop([fc.json(), fc.nat(), fc.constantFrom("", ",", "}", "]", ":", '"', "x", "\n", "{", "[")])(
  "agrees with JSON.parse on damaged JSON text",
  (text, at, insert) => {
    const i = at % (text.length + 1);
    agrees(text.slice(0, i) + insert + text.slice(i + 1));
  },
);

test("points at the place and says what was expected", () => {
  expect(findJsonError('{"a": 1,}')).toEqual({ offset: 8, message: 'expected a property name in double quotes, not "}"' });
  expect(findJsonError('{"a" 1}')).toEqual({ offset: 5, message: "expected ':' after the property name, not \"1}\"" });
  expect(findJsonError("[1 2]")).toEqual({ offset: 3, message: "expected ',' or ']', not \"2]\"" });
  expect(findJsonError('{"a": "b')).toEqual({ offset: 8, message: 'expected the closing " of a string, but the text ended' });
  expect(findJsonError("{} x")).toEqual({ offset: 3, message: 'expected the end of the JSON text, not "x"' });
});

test("deep nesting is scanned without recursion", () => {
  expect(findJsonError("[".repeat(200_000) + "]".repeat(199_999))).toMatchObject({ message: "expected ',' or ']', but the text ended" });
});
