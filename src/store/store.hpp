#pragma once
// The storage contract. Every backend (SQLite for one node, PostgreSQL for
// several: store/postgres/) passes the same contract tests
// (store_contract_test.cpp).
//
// Threading: a Store is safe to use from any number of threads at once.
// Reads run on the calling thread on a connection of their own; writes are
// handed to the store's single writer, which commits many of them per
// transaction (group commit) and returns only once the transaction is
// durable. Never call a Store from an IO thread: every call may block on disk
// (or the network). Commit listeners hear every commit to the log, also
// other nodes' (PostgreSQL), per tenant in seq order.
//
// Errors: expected outcomes are values (Problem); a database failure on a
// write answers Problem 503 for every write of that transaction and nothing
// of it is applied; a read that cannot reach the database throws
// StoreUnavailable.

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "domain/collection.hpp"
#include "domain/figures.hpp"
#include "domain/problem.hpp"
#include "domain/role.hpp"
#include "domain/time.hpp"
#include "domain/view_digest.hpp"
#include "util/histogram.hpp"

namespace shelfsync {

// Thrown by a read when the database cannot be reached (PostgreSQL down or
// the connection lost): the caller answers 503, and the client may retry.
class StoreUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Tenant {
  std::string id;
  std::string name;
  std::string currency;
  std::string time_zone = "UTC";       // IANA; the shop's days (figures) are its days
  std::int64_t large_order_total = 0;  // minor units; orders from it stand out; 0: none
};

struct TokenRecord {
  std::string tenant;
  Role role = Role::public_;
  std::string customer_id;  // set for customer tokens
  bool revoked = false;
  std::string currency;  // the tenant's, when read (Store::token); ignored by put_token
};

// One stored record of a collection. `data` is the canonical JSON document
// without system fields; a deleted record is a tombstone (data kept).
struct StoredRecord {
  std::string tenant;
  std::string entity;
  std::string id;
  std::int64_t version = 0;
  bool deleted = false;
  Millis created_at = 0;
  Millis updated_at = 0;
  std::string data;
  // Every role that could see one of the record's versions so far
  // (auth/read_rules.hpp readers_of): a reader is never told of a record its
  // role never could see. Unknown: every role.
  RoleSet seen_by = kEveryRole;
};

// One entry of a tenant's change log (SPEC §6).
struct ChangeEntry {
  std::int64_t seq = 0;
  std::string entity;
  std::string id;
  bool deleted = false;  // op: delete vs upsert
  std::int64_t version = 0;
  std::string origin;
  Millis at = 0;
};

struct ListQuery {
  std::string tenant;
  std::string entity;
  IndexKeys filters;     // all must match (AND)
  std::string search;    // lowercased substring of search text; empty = none
  std::string after_id;  // keyset pagination: ids strictly greater
  std::size_t limit = 50;
};

// A search shorter than this many characters (UTF-8 code points) has no
// index to use: it examines at most kShortSearchWindow records (those the
// filters select, in id order) per call, so its page may be short and still
// have a next.
inline constexpr std::size_t kIndexedSearchMin = 3;
inline constexpr std::size_t kShortSearchWindow = 1000;

// One page of list(): the records, and the id the next page starts after
// (empty when nothing more can follow).
struct ListRows {
  std::vector<StoredRecord> records;
  std::string next_after_id;
};

struct RecordHead {
  std::int64_t version = 0;
  bool deleted = false;
};

// What a mutation writes. The store assigns the change-log seq.
struct RecordWrite {
  StoredRecord record;
  IndexKeys keys;
  // The keys the stored version has, when the caller knows them: then only
  // the difference is written.
  std::optional<IndexKeys> previous_keys;
  // The stored document before this write (empty on create or if unknown):
  // live readers use it to tell a record leaving their view.
  std::string previous_data;
  std::string search_text;
  std::string origin;
  // The roles that may see the version written (readers_of); the store adds
  // them to the record's seen_by. Unknown: every role (a reader may then be
  // told of a record it never saw, never left unaware of one it did).
  RoleSet seen_by = kEveryRole;
  // Numbers to add to the tenant's figure rows in the same transaction
  // (domain/figures.hpp figure_changes): the store adds them, nothing more.
  // A row whose numbers all come to zero is dropped.
  std::vector<FigureDelta> figures;
  // Likewise for the digest sums of the view scopes the record counts in
  // (domain/view_digest.hpp digest_changes).
  std::vector<DigestDelta> digests;
};

// One view scope's digest sums: (entity, "", "") every record of the entity
// that is not deleted, (entity, field, value) those with that value of a
// view field.
struct DigestScope {
  std::string entity;
  std::string field;
  std::string value;
};

// The sums of several scopes read at one log position.
struct ScopedDigest {
  std::int64_t head = 0;
  DigestSum sum;
};

// A sum over the figure rows of one series whose bucket lies in [from, to].
struct FigureQuery {
  enum class Group { total, by_bucket, by_key };
  std::string series;
  std::int64_t from = 0;
  std::int64_t to = 0;
  Group group = Group::total;
  std::size_t limit = 0;  // at most this many sums, in bucket (key) order; 0: all
};

// One sum of a FigureQuery: its bucket (by_bucket) or key (by_key).
struct FigureSum {
  std::int64_t bucket = 0;
  std::string key;
  FigureValues values{};
};

// A stored answer to an Idempotency-Key request.
struct IdempotentAnswer {
  std::string fingerprint;  // identifies the request the key was first used with
  int status = 0;
  std::string body;
};

// A webhook (SPEC §8): its settings, its secret, and how far delivery has
// come. Kept beside the records, not in the change log: a delivery moving
// a hook's cursor is not a change anyone subscribes to.
struct WebhookRow {
  std::string tenant;
  std::string id;
  std::string settings;  // JSON {url, topics, filter, batch_ms, active} (integrations/webhook_settings.hpp)
  std::string secret;    // whsec_<base64>
  std::int64_t version = 1;
  Millis created_at = 0;
  Millis updated_at = 0;
  std::int64_t cursor = 0;    // the receiver acknowledged the log up to this seq
  std::int64_t failures = 0;  // failed attempts in a row
  Millis paused_at = 0;       // paused for failing (0: not paused)
  std::string paused_reason;
};

// One attempt to deliver a batch, kept for GET /api/webhooks/{id}/deliveries.
struct WebhookAttempt {
  Millis at = 0;
  std::string message_id;   // webhook-id: the same for every attempt at one batch
  std::int64_t cursor = 0;  // the batch's: its last seq
  std::int64_t changes = 0;
  std::int64_t attempt = 1;  // 1, 2, ... for one batch
  std::int64_t status = 0;   // the receiver's HTTP status; 0: no answer
  std::string answer;        // the answer's first bytes
  std::string error;         // why there was no (good) answer
  std::int64_t duration_ms = 0;
};

// A publish topic a shop declared (SPEC §8; domain/topic_collection.hpp):
// its name and the roles that read it. Its records are ordinary records of
// entity `name`.
struct TopicRow {
  std::string tenant;
  std::string name;
  RoleSet readers = 0;
  Millis created_at = 0;
  Millis updated_at = 0;
};

// The view of the database a mutation runs against, inside the writer's
// transaction. Valid only during the call of the WriteFn it is given.
class WriteTxn {
 public:
  virtual ~WriteTxn() = default;
  virtual std::optional<StoredRecord> get(const std::string& tenant, const std::string& entity,
                                          const std::string& id) = 0;
  virtual std::optional<RecordHead> head(const std::string& tenant, const std::string& entity,
                                         const std::string& id) = 0;
  // Inserts or replaces the record and appends its change-log entry.
  virtual void put(const RecordWrite& write) = 0;
  // Ids of live records with index key (field, value), ascending.
  virtual std::vector<std::string> find_ids(const std::string& tenant, const std::string& entity,
                                            const std::string& field, const std::string& value, std::size_t limit) = 0;
  // Whether the live record has index key (field, value) now: a timed write
  // checks it is still due, so a second node firing the same key writes nothing.
  virtual bool has_key(const std::string& tenant, const std::string& entity, const std::string& id,
                       const std::string& field, const std::string& value) = 0;
  // 1, 2, 3, ... per (tenant, name); rolled back with the job.
  virtual std::int64_t next_counter(const std::string& tenant, const std::string& name) = 0;
  virtual std::optional<IdempotentAnswer> idempotent(const std::string& tenant, const std::string& key) = 0;
  virtual void put_idempotent(const std::string& tenant, const std::string& key, const IdempotentAnswer& answer) = 0;
  virtual std::optional<Tenant> tenant(const std::string& id) = 0;
  virtual void put_tenant(const Tenant& tenant) = 0;
  virtual void put_token(const std::string& hash, const TokenRecord& token) = 0;
  // Returns false if no such token.
  virtual bool revoke_token(const std::string& hash) = 0;
  virtual std::optional<WebhookRow> webhook(const std::string& tenant, const std::string& id) = 0;
  // Inserts or replaces the hook (its attempts stay).
  virtual void put_webhook(const WebhookRow& hook) = 0;
  // Deletes the hook and its attempts; false if there was none.
  virtual bool delete_webhook(const std::string& tenant, const std::string& id) = 0;
  virtual std::optional<TopicRow> topic(const std::string& tenant, const std::string& name) = 0;
  virtual void put_topic(const TopicRow& topic) = 0;
  // Keeps an attempt, and only the hook's newest `keep` ones.
  virtual void add_webhook_attempt(const std::string& tenant, const std::string& id, const WebhookAttempt& attempt,
                                   std::size_t keep) = 0;
};

// A mutation: runs inside the writer's transaction; returning a Problem
// rolls back everything it did (and only that).
using WriteFn = std::function<std::optional<Problem>(WriteTxn&)>;
// How a write ended: nullopt once durable, else the Problem that undid it.
using WriteDone = std::function<void(std::optional<Problem>)>;

// A committed change with the record's states, for in-process readers (the
// live hub). Documents are canonical JSON without system fields.
struct CommittedChange {
  ChangeEntry entry;
  Millis created_at = 0;
  std::shared_ptr<const std::string> data;           // state after (a tombstone keeps its last)
  std::shared_ptr<const std::string> previous_data;  // null on create or if unknown
  RoleSet seen_by = kEveryRole;                      // the record's, after this change
};

// Called after each commit, with the tenant's changes in seq order: on the
// writer thread for this process's commits, on the log follower's thread for
// other nodes' (their `previous_data` unknown). Must not block.
using CommitListener = std::function<void(const std::string& tenant, const std::vector<CommittedChange>& changes)>;

// One record of a replay: its latest change after the cursor and its state
// at that change.
struct ReplayItem {
  ChangeEntry change;
  bool created_in_window = false;  // version 1 lies after the cursor
  StoredRecord record;
};

struct ReplayPage {
  std::vector<ReplayItem> items;  // ordered by their latest change
  std::int64_t cursor = 0;        // the log is consumed up to here
  std::int64_t head = 0;          // the tenant's newest seq at read time
  bool has_more = false;
  // Records changed within the page's range and again after it: left for
  // the change that reaches them, but a reader must not judge that change
  // by the state just before it (it never got that state).
  std::vector<ChangeEntry> moved_on;
};

// A record whose index key (field, value) is at or below a bound.
struct KeyedRecord {
  std::string tenant;
  std::string id;
  std::string value;
};

// What the writer has done so far, for /metrics.
struct WriterFigures {
  std::int64_t queue_depth = 0;        // writes waiting for the writer now
  Histogram::Snapshot commit_seconds;  // each group commit, from BEGIN to durable
  Histogram::Snapshot group_size;      // writes per group commit
  Histogram::Snapshot sync_seconds;    // each fsync of a database file
};

struct Snapshot {
  std::int64_t head = 0;  // every record is in its state as of this seq
  std::vector<StoredRecord> records;
};

class Store {
 public:
  virtual ~Store() = default;

  virtual std::string backend_name() const = 0;  // "sqlite"

  // Runs `fn` in the writer; returns once committed durably (nullopt) or
  // with the Problem that rolled it back.
  std::optional<Problem> write(WriteFn fn);
  // The same without waiting: `done` runs on the writer thread once the
  // transaction is durable (nullopt) or with the Problem that rolled `fn`
  // back, before the commit listeners hear of it. It must not block: hand
  // the answer on (post it), do not work there.
  virtual void write_async(WriteFn fn, WriteDone done) = 0;

  virtual std::optional<StoredRecord> get(const std::string& tenant, const std::string& entity,
                                          const std::string& id) = 0;
  // Live (non-deleted) records matching the query, ordered by id.
  virtual ListRows list(const ListQuery& query) = 0;
  // Change entries with seq > after, ascending, at most `limit`.
  virtual std::vector<ChangeEntry> changes_after(const std::string& tenant, std::int64_t after, std::size_t limit) = 0;
  virtual std::optional<Tenant> tenant(const std::string& id) = 0;
  // A token by its hash, with its tenant's currency.
  virtual std::optional<TokenRecord> token(const std::string& hash) = 0;

  // Adds a listener called after every commit (the live hub, long-poll
  // waiters). Add listeners before the first write.
  virtual void add_commit_listener(CommitListener listener) = 0;

  // The tenant's newest seq (0 if none).
  virtual std::int64_t head(const std::string& tenant) = 0;
  // Seqs at or below the horizon were purged: a cursor there is expired.
  virtual std::int64_t horizon(const std::string& tenant) = 0;

  // Changes after `after` for `entities` (all if empty), coalesced by record,
  // read in one snapshot: at most `limit` records. A record whose state is
  // newer than the consumed part of the log is left for the page that
  // reaches its change, so each version is handed out once and in order.
  virtual ReplayPage replay(const std::string& tenant, std::int64_t after, const std::vector<std::string>& entities,
                            std::size_t limit) = 0;

  // Live records matching the query, ordered by id, after `after_id`, at
  // most `limit` (0: all of them) or, if `ids` is not empty, those of these
  // ids; with the seq they are current at, read in one snapshot. The live
  // hub reads a snapshot page by page this way.
  virtual Snapshot snapshot(const ListQuery& query, const std::vector<std::string>& ids) = 0;

  // Across tenants: the smallest value of the timed index key
  // (kTimedKeyField) of live `entity` records, and the records whose value
  // is <= `up_to`, smallest first. For the sale timer.
  virtual std::optional<std::string> first_timed_key(const std::string& entity) = 0;
  virtual std::vector<KeyedRecord> timed_keys_up_to(const std::string& entity, const std::string& up_to,
                                                    std::size_t limit) = 0;

  // Drops change-log entries and tombstones older than `before`, moving each
  // tenant's horizon up. Returns how many log entries went.
  virtual std::size_t purge(Millis before) = 0;

  // The sums each query asks for, all read in one snapshot (a total is one
  // sum, zero if no row matches). Cost: the rows in the queries' ranges.
  virtual std::vector<std::vector<FigureSum>> figures(const std::string& tenant,
                                                      const std::vector<FigureQuery>& queries) = 0;

  // The digest sums of `scopes` added up, read in one snapshot with the
  // tenant's log head. Cost: one row per scope, whatever the catalog size.
  virtual ScopedDigest digest(const std::string& tenant, const std::vector<DigestScope>& scopes) = 0;

  // The tenant's publish topics by name, or every tenant's when `tenant` is empty.
  virtual std::vector<TopicRow> topics(const std::string& tenant) = 0;
  // The tenant's hooks by id, or every tenant's when `tenant` is empty.
  virtual std::vector<WebhookRow> webhooks(const std::string& tenant) = 0;
  // A hook's newest attempts first.
  virtual std::vector<WebhookAttempt> webhook_attempts(const std::string& tenant, const std::string& id,
                                                       std::size_t limit) = 0;

  virtual WriterFigures writer_figures() const = 0;

  // Whether this process holds the cluster's lease on `duty` (a chore that
  // must run on one node at a time: webhook delivery). Asking takes it if it
  // is free; a node that dies or loses the database drops it, and another
  // takes it at its next ask. A backend for one process holds every lease.
  virtual bool holds_lease(const std::string& duty) { return true; }
};

// Opens a store from a `--db` URL ("sqlite:PATH"); throws std::runtime_error
// with a readable message if the URL is unsupported or the database can't be
// opened or migrated.
std::unique_ptr<Store> open_store(const std::string& url);

}  // namespace shelfsync
