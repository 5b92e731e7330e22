/**
 * The AWS CLI's shorthand syntax (`Key=value,List=[a,b],Map={K=v}`), parsed the way AWS CLI v2
 * parses it, with two additions: a repeated key is an error at every level (the AWS CLI only
 * catches it at the top level), and `Key@=file://path` reads the value from a file (the newer
 * AWS CLI's syntax).
 *
 * The grammar (AWS CLI v2, `awscli/shorthand.py`):
 *
 * ```
 * parameter     = keyval *("," keyval)
 * keyval        = key ws ("=" / "@=") ws values
 * key           = *(ALPHA / DIGIT / "-" / "_" / "." / "#" / "/" / ":")
 * values        = csv-value / explicit-list / hash-literal      ; empty at the end: ""
 * csv-value     = first-value *(ws "," ws second-value)          ; two or more make a list
 * explicit-list = "[" ws [explicit *(ws "," ws explicit)] ws "]"
 * hash-literal  = "{" ws [keyval *(ws "," ws keyval)] ws "}"
 * explicit      = explicit-list / hash-literal / first-value
 * first-value   = quoted / unquoted value that may hold "=", "[", "{" and spaces, but not "," "]" "}"
 * second-value  = quoted / unquoted value that may hold "]" "}" and spaces, but not "," or "="
 * quoted        = "'" ... "'" / DQUOTE ... DQUOTE, with \' (or \") and \\ as escapes
 * ```
 *
 * An unquoted value drops trailing whitespace and turns `\,` into `,`. A comma-separated run of
 * values that ends at something that is not a value (`a=b,c=d`) gives back the comma: the run
 * stops before `c`. Every scanner here is a single forward pass (no regular expressions that can
 * backtrack), so hostile input costs linear time.
 *
 * @module
 */

/**
 * A value read from shorthand: a string, a list (`[…]` or `a,b`), or a structure (`{…}` or the
 * top level).
 *
 * @example
 * const v: ShorthandValue = { Name: "a", Values: ["b", "c"] };
 */
export type ShorthandValue = string | ShorthandValue[] | { [key: string]: ShorthandValue };

/**
 * A shorthand structure: keys in the order written.
 *
 * @example
 * const s: ShorthandStructure = { Recipient: "nobody@example.com", BounceType: "DoesNotExist" };
 */
export type ShorthandStructure = { [key: string]: ShorthandValue };

/**
 * Reads the file behind a `Key@=file://path` value and returns its text. It throws an `Error`
 * whose message says why the file cannot be read.
 *
 * @example
 * const load: ShorthandFileLoader = (spec) => readFileSync(spec.replace(/^fileb?:\/\//, ""), "utf8");
 */
export type ShorthandFileLoader = (spec: string) => string;

/**
 * Options of {@link parseShorthand}.
 *
 * @example
 * const options: ShorthandOptions = { loadFile: (spec) => readFileSync(spec.slice(7), "utf8") };
 */
export interface ShorthandOptions {
  /**
   * Reads `file://` and `fileb://` values of keys written with `@=`. Without it, `@=` is an
   * error.
   */
  loadFile?: ShorthandFileLoader;
}

/**
 * A shorthand value that cannot be parsed: where (`index`, 0-based in `input`), and why.
 * `message` is one line; {@link ShorthandSyntaxError.pointer} shows the input with a caret.
 *
 * @example
 * try {
 *   parseShorthand("Recipient");
 * } catch (e) {
 *   if (e instanceof ShorthandSyntaxError) e.message;
 *   //=> 'expected "=" after the key "Recipient", found the end of the value'
 * }
 */
export class ShorthandSyntaxError extends Error {
  override readonly name = "ShorthandSyntaxError";
  constructor(
    message: string,
    /** The text that was being parsed. */
    readonly input: string,
    /** Where the problem is: an offset into `input`. */
    readonly index: number,
  ) {
    super(message);
  }

  /**
   * The line of `input` that holds the problem and a caret under it, for a terminal.
   *
   * @example
   * new ShorthandSyntaxError("x", "a=b,,", 4).pointer();
   * //=> "a=b,,\n    ^"
   */
  pointer(): string {
    const start = this.input.lastIndexOf("\n", this.index - 1) + 1;
    let end = this.input.indexOf("\n", this.index);
    if (end < 0) end = this.input.length;
    const line = this.input.slice(start, end);
    // Count the caret's offset in code points so it lines up under astral characters too.
    const column = Array.from(this.input.slice(start, this.index)).length;
    return `${line}\n${" ".repeat(column)}^`;
  }
}

// Character classes, as code-point tests. They follow the AWS CLI's regular expressions exactly:
// a value may not start with whitespace, a quote, ",", "=", "[" or "{"; a first value then runs
// until whitespace-free "," "]" "}" or a quote; a second value until "," "=" or a quote. Code
// points above U+FFFF are outside every class, as in the AWS CLI (quote such values).

/** Python's `str.isspace()` for the code points where it matters in a value. */
function isPythonSpace(c: number): boolean {
  return (
    (c >= 0x09 && c <= 0x0d) ||
    (c >= 0x1c && c <= 0x20) ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

function isStartChar(c: number): boolean {
  if (c <= 0x20 || c > 0xffff) return false;
  return c !== 0x22 && c !== 0x27 && c !== 0x2c && c !== 0x3d && c !== 0x5b && c !== 0x7b;
}

function isFirstFollowChar(c: number): boolean {
  if (c > 0xffff) return false;
  if (c < 0x20) return isPythonSpace(c);
  return c !== 0x22 && c !== 0x27 && c !== 0x2c && c !== 0x5d && c !== 0x7d;
}

function isSecondFollowChar(c: number): boolean {
  if (c > 0xffff) return false;
  if (c < 0x20) return isPythonSpace(c);
  return c !== 0x22 && c !== 0x27 && c !== 0x2c && c !== 0x3d;
}

/** `string.whitespace` in Python: what the parser skips between tokens. */
function isTokenSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function isKeyChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x2d || // -
    c === 0x5f || // _
    c === 0x2e || // .
    c === 0x23 || // #
    c === 0x2f || // /
    c === 0x3a // :
  );
}

/** Python's `str.rstrip()`. */
function rstripPython(s: string): string {
  let end = s.length;
  while (end > 0 && isPythonSpace(s.charCodeAt(end - 1))) end--;
  return end === s.length ? s : s.slice(0, end);
}

/** How a character is named in messages: `"="`, `"{"`, `the end of the value`. */
function describe(input: string, index: number): string {
  if (index >= input.length) return "the end of the value";
  const c = input.codePointAt(index)!;
  if (c === 0x20) return "a space";
  if (c < 0x20 || c === 0x7f) return `the control character U+${c.toString(16).toUpperCase().padStart(4, "0")}`;
  return JSON.stringify(String.fromCodePoint(c));
}

/** Signals a failed attempt at a second value, so the comma-separated run can give it back. */
class Backtrack extends Error {}

/** Sets an own, enumerable property: `__proto__` stays a plain key, never a prototype. */
function setOwn(obj: ShorthandStructure, key: string, value: ShorthandValue): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

const FILE_PREFIXES = ["file://", "fileb://"] as const;

/**
 * Most levels of lists and structures inside one another. SendBounce's parameters nest four deep
 * at most; the limit keeps `{A={A={...` 20,000 deep from overflowing the stack (which the AWS CLI
 * answers with Python's RecursionError).
 */
const MAX_NESTING = 64;

class Parser {
  private i = 0;
  /** Lists and structures open around the current position. */
  private depth = 0;
  /** True while the values of a `key@=` are being read. */
  private fromFiles = false;
  private fileKeyStart = 0;

  constructor(
    private readonly s: string,
    private readonly options: ShorthandOptions,
  ) {}

  parse(): ShorthandStructure {
    const params: ShorthandStructure = {};
    this.keyval(params, true);
    while (this.i < this.s.length) {
      this.expect(",", true, "between key=value pairs");
      this.keyval(params, true);
    }
    return params;
  }

  private fail(message: string, index = this.i): never {
    throw new ShorthandSyntaxError(message, this.s, index);
  }

  private code(): number {
    return this.i < this.s.length ? this.s.codePointAt(this.i)! : -1;
  }

  private skipSpace(): void {
    while (this.i < this.s.length && isTokenSpace(this.s.charCodeAt(this.i))) this.i++;
  }

  private expect(char: string, skipSpace: boolean, context: string): void {
    if (skipSpace) this.skipSpace();
    if (this.s[this.i] !== char) this.fail(`expected ${JSON.stringify(char)} ${context}, found ${describe(this.s, this.i)}`);
    this.i++;
    if (skipSpace) this.skipSpace();
  }

  private key(): string {
    const start = this.i;
    while (this.i < this.s.length && isKeyChar(this.s.charCodeAt(this.i))) this.i++;
    return this.s.slice(start, this.i);
  }

  /** `key=values` or `key@=values`, stored into `into`; a key seen before is an error. */
  private keyval(into: ShorthandStructure, topLevel: boolean): void {
    const keyStart = this.i;
    const key = this.key();
    if (key === "") {
      const found = describe(this.s, this.i);
      this.fail(
        this.i >= this.s.length
          ? "expected a key=value pair, found the end of the value"
          : `expected a key (letters, digits, "-", "_", ".", "#", "/", ":") followed by "=", found ${found}`,
      );
    }
    this.skipSpace();
    let fromFiles = false;
    if (this.s[this.i] === "@") {
      if (this.s[this.i + 1] !== "=") this.fail(`expected "=" after "${key}@", found ${describe(this.s, this.i + 1)}`, this.i + 1);
      if (this.options.loadFile === undefined) this.fail(`"${key}@=" reads a file, which is not possible here`);
      fromFiles = true;
      this.i++;
    }
    if (this.s[this.i] !== "=")
      this.fail(`expected "=" after the key ${JSON.stringify(key)}, found ${describe(this.s, this.i)}`);
    this.i++;
    this.skipSpace();
    const saved = this.fromFiles;
    const savedStart = this.fileKeyStart;
    this.fromFiles = fromFiles;
    this.fileKeyStart = keyStart;
    const value = topLevel ? this.values() : this.explicitValue();
    this.fromFiles = saved;
    this.fileKeyStart = savedStart;
    if (Object.prototype.hasOwnProperty.call(into, key))
      this.fail(
        `the key ${JSON.stringify(key)} is given twice${topLevel ? '; often a "," was written where a space (a new shell word, a new list item) was meant' : ""}`,
        keyStart,
      );
    setOwn(into, key, value);
  }

  private values(): ShorthandValue {
    if (this.i >= this.s.length) return "";
    const c = this.s[this.i];
    if (c === "[") return this.explicitList();
    if (c === "{") return this.hashLiteral();
    return this.csvValue();
  }

  /** `a` → "a"; `a,b,c` → ["a","b","c"], giving back a trailing `,key=...`. */
  private csvValue(): ShorthandValue {
    const first = this.firstValue();
    this.skipSpace();
    if (this.i >= this.s.length || this.s[this.i] !== ",") return first;
    this.expect(",", true, "");
    const list: string[] = [first];
    for (;;) {
      try {
        const current = this.secondValue();
        this.skipSpace();
        if (this.i >= this.s.length) {
          list.push(current);
          break;
        }
        if (this.s[this.i] !== ",") throw new Backtrack();
        this.i++;
        this.skipSpace();
        list.push(current);
      } catch (e) {
        if (!(e instanceof Backtrack)) throw e;
        // At the end of the input there is nothing to give back: the list ended with a comma
        // (`a=b,`), or the last item is malformed.
        if (this.i >= this.s.length) this.fail("expected a value after the last \",\", found the end of the value");
        while (this.i > 0 && this.s[this.i] !== ",") this.i--;
        break;
      }
    }
    return list.length === 1 ? first : list;
  }

  /** Enters a list or structure opened at `open`, or fails when that is one level too deep. */
  private enter(open: number): void {
    if (++this.depth > MAX_NESTING) this.fail(`lists and structures are nested more than ${MAX_NESTING} deep here; SendBounce's parameters nest at most 4 deep`, open);
  }

  private explicitList(): ShorthandValue[] {
    const open = this.i;
    this.enter(open);
    this.expect("[", true, "");
    const values: ShorthandValue[] = [];
    while (this.s[this.i] !== "]") {
      if (this.i >= this.s.length) this.fail(`the list opened at character ${open + 1} has no closing "]"`);
      values.push(this.explicitValue());
      this.skipSpace();
      if (this.s[this.i] !== "]") {
        if (this.i >= this.s.length) this.fail(`the list opened at character ${open + 1} has no closing "]"`);
        this.expect(",", false, 'or "]" after a list item');
        this.skipSpace();
      }
    }
    this.i++;
    this.depth--;
    return values;
  }

  private explicitValue(): ShorthandValue {
    const c = this.s[this.i];
    if (c === "[") return this.explicitList();
    if (c === "{") return this.hashLiteral();
    return this.firstValue();
  }

  private hashLiteral(): ShorthandStructure {
    const open = this.i;
    this.enter(open);
    this.expect("{", true, "");
    const out: ShorthandStructure = {};
    while (this.s[this.i] !== "}") {
      if (this.i >= this.s.length) this.fail(`the structure opened at character ${open + 1} has no closing "}"`);
      this.keyval(out, false);
      this.skipSpace();
      if (this.s[this.i] !== "}") {
        if (this.i >= this.s.length) this.fail(`the structure opened at character ${open + 1} has no closing "}"`);
        this.expect(",", false, 'or "}" after a key=value pair');
        this.skipSpace();
      }
    }
    this.i++;
    this.depth--;
    return out;
  }

  private firstValue(): string {
    const c = this.s[this.i];
    if (c === "'" || c === '"') return this.fileValue(this.quoted(c));
    const start = this.i;
    if (!this.scanUnquoted(isStartChar, isFirstFollowChar)) {
      // No value here: the AWS CLI reads an empty string (`Key=` before "," or at the end).
      const cp = this.code();
      if (cp > 0xffff) this.fail(`${describe(this.s, this.i)} cannot appear in an unquoted value; put the value in quotes`);
      return "";
    }
    this.checkAstral();
    return this.fileValue(rstripPython(unescapeCommas(this.s.slice(start, this.i))));
  }

  private secondValue(): string {
    const c = this.s[this.i];
    if (c === "'" || c === '"') {
      const save = this.i;
      try {
        return this.fileValue(this.quoted(c));
      } catch (e) {
        if (e instanceof ShorthandSyntaxError && this.i === save) throw new Backtrack();
        throw e;
      }
    }
    const start = this.i;
    if (!this.scanUnquoted(isStartChar, isSecondFollowChar)) throw new Backtrack();
    this.checkAstral();
    return this.fileValue(rstripPython(unescapeCommas(this.s.slice(start, this.i))));
  }

  /** A value stopped at a character above U+FFFF: say so instead of a puzzling "expected ,". */
  private checkAstral(): void {
    if (this.code() > 0xffff) this.fail(`${describe(this.s, this.i)} cannot appear in an unquoted value; put the value in quotes`);
  }

  /**
   * Scans an unquoted value: `\,` or a start character, then `\,` or follow characters.
   * Returns false (consuming nothing) when no value starts here.
   */
  private scanUnquoted(start: (c: number) => boolean, follow: (c: number) => boolean): boolean {
    const s = this.s;
    let i = this.i;
    const step = (test: (c: number) => boolean): boolean => {
      if (s.charCodeAt(i) === 0x5c && s.charCodeAt(i + 1) === 0x2c) {
        i += 2;
        return true;
      }
      if (i >= s.length) return false;
      const cp = s.codePointAt(i)!;
      if (!test(cp)) return false;
      i += cp > 0xffff ? 2 : 1;
      return true;
    };
    if (!step(start)) return false;
    while (step(follow));
    this.i = i;
    return true;
  }

  /** Per quote character, {@link Parser.canClose} for every position (computed once, lazily). */
  private readonly closable = new Map<string, Uint8Array>();

  /**
   * For each position p: can a quoted value's body, read from p with the AWS CLI's pattern
   * `(\\\\ | \\q | [^q])* q`, end at some later quote? Computed right to left in one pass.
   */
  private canClose(q: string): Uint8Array {
    let table = this.closable.get(q);
    if (table !== undefined) return table;
    const s = this.s;
    const n = s.length;
    table = new Uint8Array(n + 2);
    for (let p = n - 1; p >= 0; p--) {
      const c = s[p];
      if (c === q) table[p] = 1;
      else if (c === "\\" && (s[p + 1] === "\\" || s[p + 1] === q) && table[p + 2] === 1) table[p] = 1;
      else table[p] = table[p + 1]!;
    }
    this.closable.set(q, table);
    return table;
  }

  /**
   * A quoted value, matched exactly as the AWS CLI's backtracking regular expression
   * `q(?:\\\\|\\q|[^q])*q` matches it, in linear time: at each position take the first of
   * `\\`, `\q`, one other character, that can still lead to a closing quote, and close at a quote
   * only when nothing else can. Usually that is the first quote not escaped by a backslash. The
   * value then turns `\q` into `q` and `\\` into `\`, in that order.
   */
  private quoted(q: "'" | '"'): string {
    const s = this.s;
    const open = this.i;
    const can = this.canClose(q);
    if (can[open + 1] !== 1) this.fail(`the ${q === "'" ? "single" : "double"}-quoted value has no closing ${q}`, open);
    let p = open + 1;
    for (;;) {
      const c = s[p];
      if (c === "\\" && (s[p + 1] === "\\" || s[p + 1] === q) && can[p + 2] === 1) p += 2;
      else if (c !== q && can[p + 1] === 1) p += 1;
      else break; // c is the closing quote
    }
    this.i = p + 1;
    return s.slice(open + 1, p).replaceAll(`\\${q}`, q).replaceAll("\\\\", "\\");
  }

  /** Under `key@=`, a `file://` or `fileb://` value becomes the file's text. */
  private fileValue(value: string): string {
    if (!this.fromFiles || !FILE_PREFIXES.some((p) => value.startsWith(p))) return value;
    try {
      return this.options.loadFile!(value);
    } catch (e) {
      this.fail(`cannot read ${value}: ${(e as Error).message}`, this.fileKeyStart);
    }
  }
}

function unescapeCommas(s: string): string {
  return s.includes("\\,") ? s.replaceAll("\\,", ",") : s;
}

/**
 * Parses an AWS CLI shorthand value into plain data. Keys and structure come from the text
 * alone; applying a model (wrapping a single value where a list belongs) is the caller's work.
 *
 * @param text - the shorthand, e.g. one shell word of `--bounced-recipient-info-list`.
 * @param options - {@link ShorthandOptions}: how to read `key@=file://…` values.
 * @returns the structure, keys in the order written.
 * @throws {ShorthandSyntaxError} saying where and why the text is not shorthand, or a key is
 *   repeated, or a `@=` file cannot be read.
 * @example
 * parseShorthand("Recipient=nobody@example.com,RecipientDsnFields={Action=failed,Status=5.1.1}");
 * //=> { Recipient: "nobody@example.com", RecipientDsnFields: { Action: "failed", Status: "5.1.1" } }
 * parseShorthand("Values=a,b,Name='x,y'");
 * //=> { Values: ["a", "b"], Name: "x,y" }
 */
export function parseShorthand(text: string, options: ShorthandOptions = {}): ShorthandStructure {
  return new Parser(text, options).parse();
}
