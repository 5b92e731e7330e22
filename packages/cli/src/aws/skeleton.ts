/**
 * `--generate-cli-skeleton`: the input skeletons (`input` as JSON, `yaml-input` as commented
 * YAML) in the AWS CLI's shape (every member, one item in each list, the first value of each
 * enum, `1970-01-01T00:00:00` for timestamps), and the `output` skeleton of SendBounce.
 *
 * @module
 */
import { SEND_BOUNCE_INPUT } from "./model.js";
import type { Shape, StructureShape } from "./model.js";

/**
 * The three kinds of skeleton `--generate-cli-skeleton` prints.
 *
 * @example
 * const kind: SkeletonKind = "yaml-input";
 */
export type SkeletonKind = "input" | "yaml-input" | "output";

/**
 * Every {@link SkeletonKind}, as `--generate-cli-skeleton` takes them.
 *
 * @example
 * SKELETON_KINDS.includes("output");
 * //=> true
 */
export const SKELETON_KINDS: readonly SkeletonKind[] = ["input", "yaml-input", "output"];

function sample(shape: Shape): unknown {
  switch (shape.type) {
    case "string":
      return shape.enum?.[0] ?? "";
    case "timestamp":
      return "1970-01-01T00:00:00";
    case "list":
      return [sample(shape.member)];
    case "structure":
      return Object.fromEntries(Object.entries(shape.members).map(([name, member]) => [name, sample(member)]));
  }
}

/**
 * The JSON input skeleton, as `aws ses send-bounce --generate-cli-skeleton input` prints it
 * (4-space indent, a final newline): fill it in and pass it to `--cli-input-json`.
 *
 * @example
 * JSON.parse(jsonInputSkeleton()).BouncedRecipientInfoList[0].BounceType;
 * //=> "DoesNotExist"
 */
export function jsonInputSkeleton(shape: StructureShape = SEND_BOUNCE_INPUT): string {
  return `${JSON.stringify(sample(shape), null, 4)}\n`;
}

function comment(shape: Shape, required: boolean): string {
  const parts: string[] = [];
  if (required) parts.push("[REQUIRED]");
  if (shape.doc !== "") parts.push(shape.doc);
  if (shape.type === "string" && shape.enum !== undefined) parts.push(`Valid values are: ${shape.enum.join(", ")}.`);
  return parts.length === 0 ? "" : ` # ${parts.join(" ")}`;
}

function yamlScalar(shape: Shape): string {
  if (shape.type === "timestamp") return "1970-01-01 00:00:00";
  if (shape.type === "string" && shape.enum !== undefined) return shape.enum[0]!;
  return "''";
}

/** Writes a structure's members; the first line starts with `first` (`- ` for a list item). */
function yamlStructure(shape: StructureShape, indent: string, first: string, lines: string[]): void {
  Object.entries(shape.members).forEach(([name, member], i) => {
    const prefix = i === 0 ? first : indent;
    const note = comment(member, shape.required.includes(name));
    if (member.type === "structure") {
      lines.push(`${prefix}${name}:${note}`);
      yamlStructure(member, `${indent}  `, `${indent}  `, lines);
    } else if (member.type === "list") {
      lines.push(`${prefix}${name}:${note}`);
      const item = member.member;
      if (item.type === "structure") yamlStructure(item, `${indent}  `, `${indent}- `, lines);
      else lines.push(`${indent}- ${yamlScalar(item)}`);
    } else lines.push(`${prefix}${name}: ${yamlScalar(member)}${note}`);
  });
}

/**
 * The YAML input skeleton, as `--generate-cli-skeleton yaml-input` prints it: every member with
 * a comment (`[REQUIRED]`, what it is, the valid values of an enum). Fill it in and pass it to
 * `--cli-input-yaml`.
 *
 * @example
 * yamlInputSkeleton().split("\n")[0];
 * //=> "OriginalMessageId: '' # [REQUIRED] The SES message ID of the received message to bounce."
 */
export function yamlInputSkeleton(shape: StructureShape = SEND_BOUNCE_INPUT): string {
  const lines: string[] = [];
  yamlStructure(shape, "", "", lines);
  return `${lines.join("\n")}\n`;
}

/**
 * The output skeleton: SendBounce's response with each member's name as its value, as
 * `--generate-cli-skeleton output` prints it after checking the arguments.
 *
 * @example
 * outputSkeleton();
 * //=> '{\n    "MessageId": "MessageId"\n}\n'
 */
export function outputSkeleton(): string {
  return `${JSON.stringify({ MessageId: "MessageId" }, null, 4)}\n`;
}
