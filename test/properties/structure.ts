/**
 * An independent, deliberately simple reading of a rendered DSN's structure, for properties: the
 * top-level header fields, the parts between the boundary's delimiter lines, and the field names
 * of each delivery-status block. It trusts nothing the renderer says about itself except the
 * boundary parameter.
 */
export interface Structure {
  headerNames: string[];
  boundary: string;
  parts: { headers: string[]; body: string }[];
  /** Each block of the delivery-status part: its fields as [name, unfolded value]. */
  blocks: [string, string][][];
}

function fields(block: string): [string, string][] {
  const out: [string, string][] = [];
  for (const line of block.split("\r\n")) {
    if (line === "") continue;
    if (line.startsWith(" ") || line.startsWith("\t")) {
      const last = out.at(-1);
      if (last === undefined) throw new Error(`a continuation line with no field: ${JSON.stringify(line)}`);
      last[1] += line;
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) throw new Error(`a line that is neither a field nor a continuation: ${JSON.stringify(line)}`);
    out.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
  }
  return out;
}

export function structure(raw: string): Structure {
  const headEnd = raw.indexOf("\r\n\r\n");
  const head = fields(raw.slice(0, headEnd));
  const ctype = head.find(([n]) => n.toLowerCase() === "content-type")?.[1] ?? "";
  const boundary = /boundary="([^"]+)"/.exec(ctype)?.[1];
  if (boundary === undefined) throw new Error(`no boundary in ${ctype}`);
  const chunks = raw.slice(headEnd + 2).split(`\r\n--${boundary}`);
  if (chunks.at(-1) !== "--\r\n") throw new Error("the message does not end with the close-delimiter and CRLF");
  const parts = chunks.slice(1, -1).map((c) => {
    if (!c.startsWith("\r\n")) throw new Error("a delimiter is not followed by CRLF");
    const body = c.slice(2);
    const end = body.indexOf("\r\n\r\n");
    return { headers: body.slice(0, end).split("\r\n"), body: body.slice(end + 4) };
  });
  const ds = parts.find((p) => /^Content-Type: message\/(global-)?delivery-status/i.test(p.headers[0] ?? ""));
  const blocks = ds === undefined ? [] : ds.body.split("\r\n\r\n").filter((b) => b !== "").map(fields);
  return { headerNames: head.map(([n]) => n), boundary, parts, blocks };
}
