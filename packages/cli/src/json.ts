/**
 * Where JSON goes wrong. `JSON.parse` on Node 20 often reports no position ("Unexpected token
 * 'o', ..."x": oops" is not valid JSON"), so on failure this scanner walks the text once, as a
 * state machine with an explicit stack (no recursion, whatever the nesting), to find the offset
 * and say what was expected there.
 */

interface JsonError {
  offset: number;
  message: string;
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/;

/** The offset of the first syntax error in `text` and what is wrong there; undefined for valid JSON. */
export function findJsonError(text: string): JsonError | undefined {
  const n = text.length;
  const stack: ("}" | "]")[] = [];
  let i = 0;
  let state: "value" | "key" | "after" = "value";
  const fail = (message: string): JsonError => ({
    offset: i,
    message: i >= n ? `${message}, but the text ended` : `${message}, not ${JSON.stringify(text.slice(i, i + 12))}`,
  });
  const string = (): JsonError | undefined => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return undefined;
      }
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return fail("expected four hex digits after \\u");
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else return fail('expected an escape such as \\n or \\" after a backslash');
        continue;
      }
      if (c < 0x20) return fail("expected the closing \" of the string (a string cannot hold a raw line break or control character)");
      i++;
    }
    return fail('expected the closing " of a string');
  };
  for (;;) {
    while (i < n && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
    const c = text[i];
    if (state === "value") {
      if (c === "{" || c === "[") {
        stack.push(c === "{" ? "}" : "]");
        i++;
        while (i < n && /\s/.test(text[i]!)) i++;
        if (text[i] === stack.at(-1)) {
          stack.pop();
          i++;
          state = "after";
        } else state = c === "{" ? "key" : "value";
        continue;
      }
      if (c === '"') {
        const err = string();
        if (err) return err;
      } else if (text.startsWith("true", i)) i += 4;
      else if (text.startsWith("false", i)) i += 5;
      else if (text.startsWith("null", i)) i += 4;
      else {
        const m = NUMBER.exec(text.slice(i, i + 400));
        if (!m) return fail("expected a value (a string in double quotes, a number, true, false, null, { or [)");
        i += m[0].length;
      }
      state = "after";
    } else if (state === "key") {
      if (c !== '"') return fail("expected a property name in double quotes");
      const err = string();
      if (err) return err;
      while (i < n && /\s/.test(text[i]!)) i++;
      if (text[i] !== ":") return fail("expected ':' after the property name");
      i++;
      state = "value";
    } else {
      const close = stack.at(-1);
      if (close === undefined) return i < n ? fail("expected the end of the JSON text") : undefined;
      if (c === ",") {
        i++;
        state = close === "}" ? "key" : "value";
      } else if (c === close) {
        stack.pop();
        i++;
      } else return fail(`expected ',' or '${close}'`);
    }
  }
}
