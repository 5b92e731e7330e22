/**
 * The SES `SendBounce` input shape as data, the way the AWS CLI sees it: which members are
 * structures, lists, timestamps and enums, which are required, and which flag sets each
 * top-level member. Argument unpacking, timestamp conversion and the skeletons all walk it.
 *
 * @module
 */
import { BOUNCE_TYPES, DSN_ACTIONS } from "@dsnkit/core";

/**
 * A shape of the SES API model: a string (maybe an enum), a timestamp, a list or a structure.
 * `doc` is a one-line description for the YAML skeleton's comments.
 *
 * @example
 * const shape: Shape = { type: "string", doc: "The status code." };
 */
export type Shape = StringShape | TimestampShape | ListShape | StructureShape;

/**
 * A string member, with its allowed values when it is an enum.
 *
 * @example
 * const s: StringShape = { type: "string", doc: "What happened.", enum: ["failed", "delayed"] };
 */
export interface StringShape {
  type: "string";
  doc: string;
  enum?: readonly string[];
}

/**
 * A timestamp member: the AWS CLI takes ISO-8601, a date, or epoch seconds.
 *
 * @example
 * const t: TimestampShape = { type: "timestamp", doc: "When the message arrived." };
 */
export interface TimestampShape {
  type: "timestamp";
  doc: string;
}

/**
 * A list member and the shape of its items.
 *
 * @example
 * const l: ListShape = { type: "list", doc: "Extra fields.", member: { type: "string", doc: "" } };
 */
export interface ListShape {
  type: "list";
  doc: string;
  member: Shape;
}

/**
 * A structure: its members in the model's order, and which of them are required.
 *
 * @example
 * const s: StructureShape = { type: "structure", name: "ExtensionField", doc: "", members: {}, required: [] };
 */
export interface StructureShape {
  type: "structure";
  /** The shape's name in the SES model (`MessageDsn`). */
  name: string;
  doc: string;
  members: Readonly<Record<string, Shape>>;
  required: readonly string[];
}

const extensionFields = (where: string): ListShape => ({
  type: "list",
  doc: `Extra fields for the ${where} block of the DSN, written after the RFC 3464 fields.`,
  member: {
    type: "structure",
    name: "ExtensionField",
    doc: "",
    members: {
      Name: { type: "string", doc: "The field name: 1 to 50 letters, digits and hyphens." },
      Value: { type: "string", doc: "The field value: one line of at most 2048 characters." },
    },
    required: ["Name", "Value"],
  },
});

/**
 * The SES `SendBounceRequest` shape (SES API 2010-12-01), members in the model's order.
 *
 * @example
 * SEND_BOUNCE_INPUT.required;
 * //=> ["OriginalMessageId", "BounceSender", "BouncedRecipientInfoList"]
 */
export const SEND_BOUNCE_INPUT: StructureShape = Object.freeze({
  type: "structure",
  name: "SendBounceRequest",
  doc: "",
  members: {
    OriginalMessageId: { type: "string", doc: "The SES message ID of the received message to bounce." },
    BounceSender: { type: "string", doc: "The From address of the bounce: an identity verified in SES." },
    Explanation: { type: "string", doc: "Human-readable text for the bounce; generated from the recipients when absent." },
    MessageDsn: {
      type: "structure",
      name: "MessageDsn",
      doc: "Per-message fields of the DSN.",
      members: {
        ReportingMta: { type: "string", doc: "The MTA that reports the failure, as mta-name-type; mta-name (dns; mx.example.com)." },
        ArrivalDate: { type: "timestamp", doc: "When the original message arrived." },
        ExtensionFields: extensionFields("per-message"),
      },
      required: ["ReportingMta"],
    },
    BouncedRecipientInfoList: {
      type: "list",
      doc: "The bounced recipients, at least one, each with a BounceType, DSN fields, or both.",
      member: {
        type: "structure",
        name: "BouncedRecipientInfo",
        doc: "",
        members: {
          Recipient: { type: "string", doc: "The address that bounced." },
          RecipientArn: { type: "string", doc: "For sending authorization: the ARN of the identity that may bounce for this recipient." },
          BounceType: { type: "string", doc: "The reason, which sets the DSN fields left out.", enum: BOUNCE_TYPES },
          RecipientDsnFields: {
            type: "structure",
            name: "RecipientDsnFields",
            doc: "Per-recipient fields of the DSN; they win over the BounceType's defaults.",
            members: {
              FinalRecipient: { type: "string", doc: "The address the report is about; defaults to Recipient." },
              Action: { type: "string", doc: "What the reporting MTA did.", enum: DSN_ACTIONS },
              RemoteMta: { type: "string", doc: "The MTA that refused the message, as mta-name-type; mta-name." },
              Status: { type: "string", doc: "The RFC 3463 status code, such as 5.1.1." },
              DiagnosticCode: { type: "string", doc: "The remote reply, as diagnostic-type; text (smtp; 550 5.1.1 No such user)." },
              LastAttemptDate: { type: "timestamp", doc: "When delivery was last attempted." },
              ExtensionFields: extensionFields("per-recipient"),
            },
            required: ["Action", "Status"],
          },
        },
        required: ["Recipient"],
      },
    },
    BounceSenderArn: { type: "string", doc: "For sending authorization: the ARN of the identity allowed to send from BounceSender." },
  },
  required: ["OriginalMessageId", "BounceSender", "BouncedRecipientInfoList"],
} satisfies StructureShape);

/**
 * The flag that sets each top-level member, as `aws ses send-bounce` names it.
 *
 * @example
 * MEMBER_FLAGS.BouncedRecipientInfoList;
 * //=> "--bounced-recipient-info-list"
 */
export const MEMBER_FLAGS: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(Object.keys(SEND_BOUNCE_INPUT.members).map((name) => [name, `--${kebab(name)}`])),
);

/**
 * The top-level member behind each flag: the inverse of {@link MEMBER_FLAGS}.
 *
 * @example
 * FLAG_MEMBERS["--message-dsn"];
 * //=> "MessageDsn"
 */
export const FLAG_MEMBERS: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(Object.entries(MEMBER_FLAGS).map(([member, flag]) => [flag, member])),
);

/** `BouncedRecipientInfoList` → `bounced-recipient-info-list` (botocore's `xform_name`). */
function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}
