/**
 * The AWS query protocol's parameters (`BouncedRecipientInfoList.member.1.RecipientDsnFields.Status=5.1.1`)
 * decoded into the nested request an SDK would build, checked against the operation's shape, and
 * the way back: a request path (`BouncedRecipientInfoList[0].RecipientDsnFields.Status`) named as
 * its wire parameter.
 *
 * @module
 */
import type { IssuePath } from "@dsnkit/core";
import { nearest } from "./suggest.js";

/**
 * The shape of an operation's input, as far as the query protocol needs it: strings (every
 * scalar travels as text; timestamps are ISO-8601), lists (`Name.member.N`) and structures.
 *
 * @example
 * const shape: Shape = { kind: "structure", members: { EmailAddress: { kind: "string" } } };
 */
export type Shape =
  | { kind: "string" }
  | { kind: "list"; member: Shape }
  | { kind: "structure"; members: Readonly<Record<string, Shape>> };

const STRING: Shape = { kind: "string" };
const list = (member: Shape): Shape => ({ kind: "list", member });
const structure = (members: Record<string, Shape>): Shape => ({ kind: "structure", members });

const EXTENSION_FIELDS = list(structure({ Name: STRING, Value: STRING }));

/**
 * The input shape of SES `SendBounce` (API 2010-12-01).
 *
 * @example
 * SEND_BOUNCE_SHAPE.kind;
 * //=> "structure"
 */
export const SEND_BOUNCE_SHAPE: Shape = structure({
  OriginalMessageId: STRING,
  BounceSender: STRING,
  Explanation: STRING,
  MessageDsn: structure({ ReportingMta: STRING, ArrivalDate: STRING, ExtensionFields: EXTENSION_FIELDS }),
  BouncedRecipientInfoList: list(
    structure({
      Recipient: STRING,
      RecipientArn: STRING,
      BounceType: STRING,
      RecipientDsnFields: structure({
        FinalRecipient: STRING,
        Action: STRING,
        RemoteMta: STRING,
        Status: STRING,
        DiagnosticCode: STRING,
        LastAttemptDate: STRING,
        ExtensionFields: EXTENSION_FIELDS,
      }),
    }),
  ),
  BounceSenderArn: STRING,
});

/**
 * A parameter the decoder could not place: `parameter` is its wire name.
 *
 * @example
 * const p: QueryProblem = { parameter: "BouncedRecipientInfoList.member.0.Recipient", message: "list members are numbered from 1" };
 */
export interface QueryProblem {
  parameter: string;
  message: string;
}

interface Node {
  value?: string;
  children: Map<string, Node>;
}

function newNode(): Node {
  return { children: new Map() };
}

const INDEX = /^[1-9]\d{0,5}$/;
const MAX_DEPTH = 12;

/**
 * Decodes query parameters into the nested object `shape` describes. Parameters not in the shape,
 * list members not numbered 1, 2, 3, … without gaps, and values given to a structure are reported
 * as problems with their wire names, not dropped in silence. An empty value for a list
 * (`ExtensionFields=`) is the empty list, as the SDKs send it.
 *
 * @param params - the parameters, already URL-decoded, without the protocol's own (`Action`,
 *   `Version`, `X-Amz-*`).
 * @example
 * decodeQuery(
 *   new Map([
 *     ["OriginalMessageId", "m1"],
 *     ["BouncedRecipientInfoList.member.1.Recipient", "a@example.com"],
 *   ]),
 *   SEND_BOUNCE_SHAPE,
 * );
 * //=> { value: { OriginalMessageId: "m1", BouncedRecipientInfoList: [{ Recipient: "a@example.com" }] }, problems: [] }
 */
export function decodeQuery(params: ReadonlyMap<string, string>, shape: Shape): { value: Record<string, unknown>; problems: QueryProblem[] } {
  const root = newNode();
  const problems: QueryProblem[] = [];
  for (const [name, value] of params) {
    const parts = name.split(".");
    if (parts.length > MAX_DEPTH) {
      problems.push({ parameter: name, message: "is nested too deeply to be a parameter of this action" });
      continue;
    }
    let node = root;
    for (const part of parts) {
      let next = node.children.get(part);
      if (next === undefined) node.children.set(part, (next = newNode()));
      node = next;
    }
    node.value = value;
  }
  const value = decodeStructure(root, shape as Extract<Shape, { kind: "structure" }>, "", problems);
  return { value, problems };
}

function decodeStructure(node: Node, shape: Extract<Shape, { kind: "structure" }>, prefix: string, problems: QueryProblem[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, child] of node.children) {
    const name = prefix + key;
    const member = Object.prototype.hasOwnProperty.call(shape.members, key) ? shape.members[key] : undefined;
    if (member === undefined) {
      const near = nearest(key, Object.keys(shape.members));
      problems.push({
        parameter: name,
        message: near !== undefined ? `is not a parameter of this action; did you mean ${prefix}${near}?` : "is not a parameter of this action",
      });
      continue;
    }
    const v = decodeValue(child, member, name, problems);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

function decodeValue(node: Node, shape: Shape, name: string, problems: QueryProblem[]): unknown {
  switch (shape.kind) {
    case "string":
      if (node.children.size > 0) {
        problems.push({ parameter: `${name}.${node.children.keys().next().value}`, message: `is not a parameter: ${name} is a single value` });
        return undefined;
      }
      return node.value;
    case "structure":
      if (node.value !== undefined) problems.push({ parameter: name, message: "needs its members given as separate parameters, not one value" });
      return decodeStructure(node, shape, `${name}.`, problems);
    case "list": {
      if (node.children.size === 0) {
        if (node.value !== undefined && node.value !== "")
          problems.push({ parameter: name, message: `is a list: give its members as ${name}.member.1, ${name}.member.2, ...` });
        return [];
      }
      if (node.value !== undefined && node.value !== "") problems.push({ parameter: name, message: "is a list and cannot also have a value" });
      const items: unknown[] = [];
      for (const [key, child] of node.children) {
        if (key !== "member") {
          problems.push({ parameter: `${name}.${key}`, message: `is not a parameter: list members are written ${name}.member.N` });
          continue;
        }
        const indexes: number[] = [];
        for (const [index, item] of child.children) {
          if (!INDEX.test(index)) {
            problems.push({ parameter: `${name}.member.${index}`, message: "is not a parameter: list members are numbered 1, 2, 3, ..." });
            continue;
          }
          const i = Number(index);
          indexes.push(i);
          items[i - 1] = decodeValue(item, shape.member, `${name}.member.${index}`, problems);
        }
        if (child.value !== undefined) problems.push({ parameter: `${name}.member`, message: "needs a number: list members are written member.1, member.2, ..." });
        indexes.sort((a, b) => a - b);
        const gap = indexes.findIndex((n, i) => n !== i + 1);
        if (gap >= 0)
          problems.push({ parameter: `${name}.member.${gap + 1}`, message: "is missing: list members must be numbered 1, 2, 3, ... without gaps" });
      }
      return items.filter((_, i) => i in items);
    }
  }
}

/**
 * Names a request path the way the query protocol writes it: list indexes become `member.N`,
 * counted from 1.
 *
 * @example
 * wireName(["BouncedRecipientInfoList", 0, "RecipientDsnFields", "ExtensionFields", 1, "Name"]);
 * //=> "BouncedRecipientInfoList.member.1.RecipientDsnFields.ExtensionFields.member.2.Name"
 * wireName([]);
 * //=> "(the request)"
 */
export function wireName(path: IssuePath): string {
  if (path.length === 0) return "(the request)";
  return path.map((p) => (typeof p === "number" ? `member.${p + 1}` : p)).join(".");
}
