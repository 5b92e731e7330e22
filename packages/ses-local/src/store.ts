/**
 * The emulator's state on disk: received messages, sent bounces, verified identities and the
 * receipt rule sets (with which one is active) in one SQLite file (better-sqlite3, WAL journal, `synchronous=FULL`). A row is acknowledged (SMTP 250,
 * HTTP 200) only after its transaction has committed, so a crash or `kill -9` loses nothing that
 * was acknowledged.
 *
 * @module
 */
import Database from "better-sqlite3";
import type { Database as Db, Statement } from "better-sqlite3";
import type { ReceiptRule } from "./receipt-rules.js";

/**
 * A message received over SMTP.
 *
 * @example
 * const m: StoredMessage = {
 *   messageId: "010001a2174c3500-1b4e28ba-2fa1-41d2-883f-0016d3cca427-000000",
 *   arrival: new Date("2026-11-26T10:00:00Z"),
 *   mailFrom: "sender@example.org",
 *   rcptTo: ["nobody@example.com"],
 *   raw: Buffer.from("Subject: hi\r\n\r\nbody\r\n"),
 * };
 */
export interface StoredMessage {
  /** The SES message id (the `OriginalMessageId` of a bounce). */
  messageId: string;
  /** When the message was received. */
  arrival: Date;
  /** The envelope sender (`MAIL FROM`); `""` for the null reverse-path `<>`. */
  mailFrom: string;
  /** The envelope recipients (`RCPT TO`), in the order given. */
  rcptTo: string[];
  /** The message as stored: the bytes received, after the trace fields ses-local prepends. */
  raw: Buffer;
  /** The client's IP address. */
  remoteAddress?: string;
  /** The name the client gave with EHLO/HELO. */
  helo?: string;
}

/**
 * A message's metadata, without its bytes (what listings return).
 *
 * @example
 * const s: MessageSummary = { messageId: "0100…-000000", arrival: new Date(), mailFrom: "a@example.org", rcptTo: ["b@example.com"], size: 120 };
 */
export type MessageSummary = Omit<StoredMessage, "raw"> & { size: number };

/**
 * Where relaying a bounce stands: `none` (no relay configured), `pending`, `sent` or `failed`
 * (gave up; `error` says why).
 *
 * @example
 * const state: RelayState = "pending";
 */
export type RelayState = "none" | "pending" | "sent" | "failed";

/**
 * A bounce accepted by SendBounce.
 *
 * @example
 * const b: StoredBounce = {
 *   bounceId: "010001a2174c3501-…-000000",
 *   originalMessageId: "010001a2174c3500-…-000000",
 *   created: new Date(),
 *   bounceSender: "mailer-daemon@example.com",
 *   rcptTo: ["sender@example.org"],
 *   raw: Buffer.from("…"),
 *   request: "{}",
 *   accessKeyId: "AKIDSESLOCAL",
 *   relay: { state: "none", attempts: 0 },
 * };
 */
export interface StoredBounce {
  /** The SES message id of the bounce (SendBounce's `MessageId`; the outbox file's name). */
  bounceId: string;
  /** The bounced message's SES id. */
  originalMessageId: string;
  created: Date;
  /** The request's BounceSender, as given. */
  bounceSender: string;
  /** The bounce's envelope recipients: the original's envelope sender. The reverse-path is `<>`. */
  rcptTo: string[];
  /** The rendered DSN. */
  raw: Buffer;
  /** The decoded SendBounce request, as JSON. */
  request: string;
  /** The access key that made the call. */
  accessKeyId: string;
  relay: { state: RelayState; attempts: number; error?: string; relayedAt?: Date };
  /** `<rule set>/<rule>` when a receipt rule's Bounce action wrote the bounce (then `accessKeyId` is empty). */
  receiptRule?: string;
}

/**
 * A bounce's metadata, without its bytes.
 *
 * @example
 * const s: BounceSummary = { bounceId: "…", originalMessageId: "…", created: new Date(), bounceSender: "m@example.com", rcptTo: ["s@example.org"], accessKeyId: "AKIDSESLOCAL", relay: { state: "none", attempts: 0 }, size: 2048 };
 */
export type BounceSummary = Omit<StoredBounce, "raw" | "request"> & { size: number };

/**
 * An SES identity: an email address or a domain.
 *
 * @example
 * const id: Identity = { identity: "example.com", type: "Domain", created: new Date() };
 */
export interface Identity {
  identity: string;
  type: "EmailAddress" | "Domain";
  created: Date;
}

interface MessageRow {
  id: string;
  arrival: number;
  mail_from: string;
  rcpt_to: string;
  remote_address: string | null;
  helo: string | null;
  size: number;
  raw?: Buffer;
}

interface BounceRow {
  id: string;
  original_id: string;
  created: number;
  bounce_sender: string;
  rcpt_to: string;
  access_key: string;
  relay_state: RelayState;
  relay_attempts: number;
  relay_error: string | null;
  relayed_at: number | null;
  receipt_rule: string | null;
  size: number;
  raw?: Buffer;
  request?: string;
}

/** 2: receipt rule sets, the active one, and the rule that wrote a bounce. */
const SCHEMA_VERSION = 2;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  arrival INTEGER NOT NULL,
  mail_from TEXT NOT NULL,
  rcpt_to TEXT NOT NULL,
  remote_address TEXT,
  helo TEXT,
  size INTEGER NOT NULL,
  raw BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS bounces (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  original_id TEXT NOT NULL REFERENCES messages(id),
  created INTEGER NOT NULL,
  bounce_sender TEXT NOT NULL,
  rcpt_to TEXT NOT NULL,
  access_key TEXT NOT NULL,
  request TEXT NOT NULL,
  relay_state TEXT NOT NULL,
  relay_attempts INTEGER NOT NULL DEFAULT 0,
  relay_error TEXT,
  relayed_at INTEGER,
  size INTEGER NOT NULL,
  raw BLOB NOT NULL,
  receipt_rule TEXT
);
CREATE INDEX IF NOT EXISTS bounces_original ON bounces(original_id);
CREATE TABLE IF NOT EXISTS identities (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  identity TEXT NOT NULL UNIQUE COLLATE NOCASE,
  type TEXT NOT NULL,
  created INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS rule_sets (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  created INTEGER NOT NULL,
  rules TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;

const MESSAGE_COLUMNS = "id, arrival, mail_from, rcpt_to, remote_address, helo, size";
const BOUNCE_COLUMNS = "id, original_id, created, bounce_sender, rcpt_to, access_key, relay_state, relay_attempts, relay_error, relayed_at, receipt_rule, size";

function toSummary(r: MessageRow): MessageSummary {
  const m: MessageSummary = { messageId: r.id, arrival: new Date(r.arrival), mailFrom: r.mail_from, rcptTo: JSON.parse(r.rcpt_to) as string[], size: r.size };
  if (r.remote_address !== null) m.remoteAddress = r.remote_address;
  if (r.helo !== null) m.helo = r.helo;
  return m;
}

function toBounceSummary(r: BounceRow): BounceSummary {
  const relay: BounceSummary["relay"] = { state: r.relay_state, attempts: r.relay_attempts };
  if (r.relay_error !== null) relay.error = r.relay_error;
  if (r.relayed_at !== null) relay.relayedAt = new Date(r.relayed_at);
  const b: BounceSummary = {
    bounceId: r.id,
    originalMessageId: r.original_id,
    created: new Date(r.created),
    bounceSender: r.bounce_sender,
    rcptTo: JSON.parse(r.rcpt_to) as string[],
    accessKeyId: r.access_key,
    relay,
    size: r.size,
  };
  if (r.receipt_rule !== null) b.receiptRule = r.receipt_rule;
  return b;
}

/**
 * A receipt rule set: its name, when it was made, and its rules in the order they run.
 *
 * @example
 * const set: ReceiptRuleSet = { name: "default", created: new Date(), rules: [] };
 */
export interface ReceiptRuleSet {
  name: string;
  created: Date;
  rules: ReceiptRule[];
}

interface Pending {
  message: StoredMessage;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * Paging of a listing: at most `limit` rows after skipping `offset`.
 *
 * @example
 * const page: Page = { limit: 100, offset: 200 };
 */
export interface Page {
  limit?: number;
  offset?: number;
}

/**
 * The SQLite store. Messages arriving together are committed in one transaction (group commit):
 * {@link SesLocalStore.addMessage} resolves once its row is durable.
 *
 * @example
 * const store = SesLocalStore.open("/tmp/ses-local/ses-local.db");
 * await store.addMessage({ messageId: id, arrival: new Date(), mailFrom: "a@example.org", rcptTo: ["b@example.com"], raw });
 * store.getMessage(id)?.rcptTo;
 * //=> ["b@example.com"]
 * await store.close();
 */
export class SesLocalStore {
  private readonly db: Db;
  private readonly insertMessage: Statement;
  private readonly insertBounce: Statement;
  private readonly commitMessages: (batch: readonly Pending[]) => void;
  private queue: Pending[] = [];
  private flushing: NodeJS.Immediate | undefined;
  private closed = false;

  private constructor(db: Db) {
    this.db = db;
    this.insertMessage = db.prepare(
      "INSERT INTO messages (id, arrival, mail_from, rcpt_to, remote_address, helo, size, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    );
    this.insertBounce = db.prepare(
      "INSERT INTO bounces (id, original_id, created, bounce_sender, rcpt_to, access_key, request, relay_state, relay_attempts, size, raw, receipt_rule) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)",
    );
    this.commitMessages = db.transaction((batch: readonly Pending[]) => {
      for (const { message: m } of batch)
        this.insertMessage.run(m.messageId, m.arrival.getTime(), m.mailFrom, JSON.stringify(m.rcptTo), m.remoteAddress ?? null, m.helo ?? null, m.raw.length, m.raw);
    });
  }

  /**
   * Opens (creating when missing) the store at `path`, or an in-memory one for `":memory:"`.
   *
   * @throws {Error} when the file cannot be opened or was written by a newer ses-local.
   * @example
   * const store = SesLocalStore.open(":memory:");
   */
  static open(path: string): SesLocalStore {
    const db = new Database(path);
    try {
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = FULL");
      db.pragma("foreign_keys = ON");
      db.pragma("busy_timeout = 5000");
      const version = db.pragma("user_version", { simple: true }) as number;
      if (version > SCHEMA_VERSION)
        throw new Error(`${path} was written by a newer ses-local (schema ${version}; this one knows ${SCHEMA_VERSION})`);
      db.transaction(() => {
        db.exec(SCHEMA);
        // Schema 1 (before receipt rules) had no receipt_rule column; the new tables were created above.
        const columns = db.pragma("table_info(bounces)") as { name: string }[];
        if (!columns.some((c) => c.name === "receipt_rule")) db.exec("ALTER TABLE bounces ADD COLUMN receipt_rule TEXT");
        db.pragma(`user_version = ${SCHEMA_VERSION}`);
      })();
    } catch (e) {
      db.close();
      throw e;
    }
    return new SesLocalStore(db);
  }

  /**
   * Stores a received message. Resolves once the row has committed; messages added in the same
   * turn of the event loop share one transaction.
   *
   * @throws {Error} when the store is closed or the write fails (the message is then not stored).
   * @example
   * await store.addMessage(message);
   */
  addMessage(message: StoredMessage): Promise<void> {
    if (this.closed) return Promise.reject(new Error("the store is closed"));
    return new Promise((resolve, reject) => {
      this.queue.push({ message, resolve, reject });
      this.flushing ??= setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    this.flushing = undefined;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    try {
      this.commitMessages(batch);
    } catch (e) {
      for (const p of batch) p.reject(e);
      return;
    }
    for (const p of batch) p.resolve();
  }

  /**
   * A stored message with its bytes, or `undefined`.
   *
   * @example
   * store.getMessage("nope");
   * //=> undefined
   */
  getMessage(messageId: string): StoredMessage | undefined {
    const r = this.db.prepare(`SELECT ${MESSAGE_COLUMNS}, raw FROM messages WHERE id = ?`).get(messageId) as MessageRow | undefined;
    if (r === undefined) return undefined;
    const { size: _size, ...m } = toSummary(r);
    return { ...m, raw: r.raw! };
  }

  /**
   * A stored message with only the first `octets` of its bytes (SQLite cuts them: the rest never
   * reaches JavaScript), or `undefined`.
   *
   * @example
   * store.getMessageHead(id, 1024)?.raw.length;
   * //=> 1024
   */
  getMessageHead(messageId: string, octets: number): StoredMessage | undefined {
    const r = this.db.prepare(`SELECT ${MESSAGE_COLUMNS}, substr(raw, 1, ?) AS raw FROM messages WHERE id = ?`).get(octets, messageId) as MessageRow | undefined;
    if (r === undefined) return undefined;
    const { size: _size, ...m } = toSummary(r);
    return { ...m, raw: r.raw! };
  }

  /**
   * Received messages in the order they arrived, without their bytes.
   *
   * @example
   * store.listMessages({ limit: 10 }).length <= 10;
   * //=> true
   */
  listMessages(page: Page = {}): MessageSummary[] {
    const rows = this.db
      .prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages ORDER BY seq LIMIT ? OFFSET ?`)
      .all(page.limit ?? -1, page.offset ?? 0) as MessageRow[];
    return rows.map(toSummary);
  }

  /**
   * How many messages are stored.
   *
   * @example
   * store.countMessages();
   * //=> 0
   */
  countMessages(): number {
    return (this.db.prepare("SELECT count(*) AS n FROM messages").get() as { n: number }).n;
  }

  /**
   * Stores an accepted bounce; the row has committed when this returns.
   *
   * @example
   * store.addBounce(bounce);
   */
  addBounce(b: StoredBounce): void {
    if (this.closed) throw new Error("the store is closed");
    this.insertBounce.run(
      b.bounceId,
      b.originalMessageId,
      b.created.getTime(),
      b.bounceSender,
      JSON.stringify(b.rcptTo),
      b.accessKeyId,
      b.request,
      b.relay.state,
      b.raw.length,
      b.raw,
      b.receiptRule ?? null,
    );
  }

  /**
   * Removes a bounce that could not be completed (its outbox file could not be written), so that
   * what was never acknowledged is not kept.
   *
   * @example
   * store.deleteBounce(bounceId);
   */
  deleteBounce(bounceId: string): void {
    this.db.prepare("DELETE FROM bounces WHERE id = ?").run(bounceId);
  }

  /**
   * A stored bounce with its bytes and request, or `undefined`.
   *
   * @example
   * store.getBounce(bounceId)?.raw.toString("utf8").startsWith("From: ");
   * //=> true
   */
  getBounce(bounceId: string): StoredBounce | undefined {
    const r = this.db.prepare(`SELECT ${BOUNCE_COLUMNS}, raw, request FROM bounces WHERE id = ?`).get(bounceId) as BounceRow | undefined;
    if (r === undefined) return undefined;
    const { size: _size, ...b } = toBounceSummary(r);
    return { ...b, raw: r.raw!, request: r.request! };
  }

  /**
   * Bounces in the order they were accepted, without their bytes; only those of one original
   * when `originalMessageId` is given.
   *
   * @example
   * store.listBounces({ originalMessageId: id }).map((b) => b.bounceId);
   */
  listBounces(options: Page & { originalMessageId?: string } = {}): BounceSummary[] {
    const where = options.originalMessageId === undefined ? "" : "WHERE original_id = @original";
    const rows = this.db
      .prepare(`SELECT ${BOUNCE_COLUMNS} FROM bounces ${where} ORDER BY seq LIMIT @limit OFFSET @offset`)
      .all({ original: options.originalMessageId, limit: options.limit ?? -1, offset: options.offset ?? 0 }) as BounceRow[];
    return rows.map(toBounceSummary);
  }

  /**
   * Ids of the bounces whose relay is still pending, oldest first.
   *
   * @example
   * store.pendingRelays();
   * //=> []
   */
  pendingRelays(): string[] {
    return (this.db.prepare("SELECT id FROM bounces WHERE relay_state = 'pending' ORDER BY seq").all() as { id: string }[]).map((r) => r.id);
  }

  /**
   * Records a relay attempt's outcome.
   *
   * @example
   * store.recordRelay(bounceId, { state: "sent", attempts: 1, relayedAt: new Date() });
   */
  recordRelay(bounceId: string, relay: StoredBounce["relay"]): void {
    this.db
      .prepare("UPDATE bounces SET relay_state = ?, relay_attempts = ?, relay_error = ?, relayed_at = ? WHERE id = ?")
      .run(relay.state, relay.attempts, relay.error ?? null, relay.relayedAt?.getTime() ?? null, bounceId);
  }

  /**
   * Adds a verified identity; adding one that exists changes nothing. Identities compare
   * case-insensitively.
   *
   * @returns true when the identity was new.
   * @example
   * store.addIdentity("example.com", "Domain", new Date());
   * //=> true
   */
  addIdentity(identity: string, type: Identity["type"], created: Date): boolean {
    return this.db.prepare("INSERT OR IGNORE INTO identities (identity, type, created) VALUES (?, ?, ?)").run(identity, type, created.getTime()).changes > 0;
  }

  /**
   * True when `identity` (an address or a domain) is verified, compared case-insensitively.
   *
   * @example
   * store.hasIdentity("EXAMPLE.com");
   * //=> true
   */
  hasIdentity(identity: string): boolean {
    return this.db.prepare("SELECT 1 FROM identities WHERE identity = ?").get(identity) !== undefined;
  }

  /**
   * Verified identities in the order they were added, of one type when `type` is given.
   *
   * @example
   * store.listIdentities("Domain").map((i) => i.identity);
   * //=> ["example.com"]
   */
  listIdentities(type?: Identity["type"]): Identity[] {
    const rows = (
      type === undefined
        ? this.db.prepare("SELECT identity, type, created FROM identities ORDER BY seq").all()
        : this.db.prepare("SELECT identity, type, created FROM identities WHERE type = ? ORDER BY seq").all(type)
    ) as { identity: string; type: Identity["type"]; created: number }[];
    return rows.map((r) => ({ identity: r.identity, type: r.type, created: new Date(r.created) }));
  }

  /**
   * Creates an empty receipt rule set.
   *
   * @returns false when a set of that name exists (nothing changes).
   * @example
   * store.createRuleSet("default", new Date());
   * //=> true
   */
  createRuleSet(name: string, created: Date): boolean {
    return this.db.prepare("INSERT OR IGNORE INTO rule_sets (name, created, rules) VALUES (?, ?, '[]')").run(name, created.getTime()).changes > 0;
  }

  /**
   * A receipt rule set with its rules, or `undefined`.
   *
   * @example
   * store.getRuleSet("default")?.rules.map((r) => r.Name);
   * //=> ["bounce-unknown"]
   */
  getRuleSet(name: string): ReceiptRuleSet | undefined {
    const r = this.db.prepare("SELECT name, created, rules FROM rule_sets WHERE name = ?").get(name) as { name: string; created: number; rules: string } | undefined;
    return r === undefined ? undefined : { name: r.name, created: new Date(r.created), rules: JSON.parse(r.rules) as ReceiptRule[] };
  }

  /**
   * The receipt rule sets in the order they were created, without their rules.
   *
   * @example
   * store.listRuleSets().map((s) => s.name);
   * //=> ["default"]
   */
  listRuleSets(): { name: string; created: Date; rules: number }[] {
    const rows = this.db.prepare("SELECT name, created, json_array_length(rules) AS n FROM rule_sets ORDER BY seq").all() as { name: string; created: number; n: number }[];
    return rows.map((r) => ({ name: r.name, created: new Date(r.created), rules: r.n }));
  }

  /**
   * Replaces the rules of a set (they are kept as one list, in order, so a change is one write).
   *
   * @returns false when there is no such set.
   * @example
   * store.setRules("default", [rule]);
   * //=> true
   */
  setRules(name: string, rules: readonly ReceiptRule[]): boolean {
    return this.db.prepare("UPDATE rule_sets SET rules = ? WHERE name = ?").run(JSON.stringify(rules), name).changes > 0;
  }

  /**
   * Deletes a receipt rule set and its rules.
   *
   * @returns false when there was no such set.
   * @example
   * store.deleteRuleSet("staging");
   * //=> true
   */
  deleteRuleSet(name: string): boolean {
    return this.db.prepare("DELETE FROM rule_sets WHERE name = ?").run(name).changes > 0;
  }

  /**
   * The name of the active receipt rule set, or `undefined` when none is active.
   *
   * @example
   * store.activeRuleSet();
   * //=> "default"
   */
  activeRuleSet(): string | undefined {
    const r = this.db.prepare("SELECT value FROM settings WHERE key = 'active_rule_set'").get() as { value: string } | undefined;
    return r?.value;
  }

  /**
   * Makes a rule set the active one, or, given `undefined`, leaves none active.
   *
   * @example
   * store.setActiveRuleSet("default");
   */
  setActiveRuleSet(name: string | undefined): void {
    if (name === undefined) this.db.prepare("DELETE FROM settings WHERE key = 'active_rule_set'").run();
    else this.db.prepare("INSERT INTO settings (key, value) VALUES ('active_rule_set', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(name);
  }

  /**
   * Commits what is queued and closes the database. Safe to call twice.
   *
   * @example
   * await store.close();
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.flushing !== undefined) clearImmediate(this.flushing);
    this.flush();
    this.db.close();
  }
}
