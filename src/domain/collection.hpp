#pragma once
// A collection (products, categories, ...) as the generic REST and storage
// code sees it. Each domain type implements this once with its typed codec
// (decode → struct → validate → encode), so handlers and the store never pick
// JSON apart themselves.
//
// Documents are stored in canonical form: the output of normalize() plus the
// system fields (id, version, created_at, updated_at) that the store adds.
// Computed fields (price_now, stock_status, ...) are never stored; render()
// adds them for a reader.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "domain/problem.hpp"
#include "domain/role.hpp"
#include "domain/time.hpp"

namespace shelfsync {

// Secondary index entries (field, value) of a record; a field may repeat
// (one entry per tag, per category id).
using IndexKeys = std::vector<std::pair<std::string, std::string>>;

// The one index field whose values are instants (ms, zero-padded to 15
// digits, so string order is time order). The store indexes it across
// tenants so a timer can ask what is due next (Store::first_timed_key).
inline constexpr const char* kTimedKeyField = "sale_next";
inline constexpr std::size_t kTimedKeyWidth = 15;

struct NormalizeContext {
  Millis now = 0;
  std::string currency;  // the tenant's, copied onto records that carry money
};

// What a collection holds, for how readers may keep it: the catalog is the
// same for every reader of a role and may be cached if revalidated; private
// data (people, money, stock history) must never be stored by a cache.
enum class DataKind { catalog, private_data };

class Collection {
 public:
  virtual ~Collection() = default;

  virtual std::string_view name() const = 0;                        // "products"
  virtual std::string_view id_prefix() const = 0;                   // "prod"
  virtual DataKind kind() const { return DataKind::private_data; }  // safe unless said

  // Validates a client document: the body of a create, or the stored record
  // with a merge patch applied. `previous` is the stored record on update
  // (null on create). System fields in `input` (id, version, created_at,
  // updated_at) and computed fields are ignored. Returns the canonical
  // document without system fields, or a 422 listing every bad field.
  virtual Result<boost::json::object> normalize(const boost::json::object& input, const boost::json::object* previous,
                                                const NormalizeContext& ctx) const = 0;

  // Index entries for list filters; every field named here may be used as
  // `?field=value` on GET /api/{collection}.
  virtual IndexKeys index_keys(const boost::json::object& stored) const = 0;
  virtual std::vector<std::string_view> filter_fields() const = 0;
  // The values an enum-valued filter field may take (any other is a 400);
  // empty for free-form fields. The codec's own list, so the two agree.
  virtual std::span<const std::string_view> filter_values(std::string_view field) const { return {}; }

  // Lowercased text that `?q=` searches; empty if the collection has no search.
  virtual std::string search_text(const boost::json::object& stored) const { return {}; }

  // Whether a reader with `role` may see this (non-deleted) record at all.
  virtual bool visible_to(const boost::json::object& stored, Role role) const = 0;
  // The same rule as index filters, where it is one, so that a list or a
  // sync narrows its query in the store and keeps its pages full. Records
  // these select still go through visible_to.
  virtual IndexKeys visible_filters(Role role) const { return {}; }

  // Turns a stored document into what a reader of `projection` reads at
  // time `now`: adds computed fields and removes fields it may not see.
  virtual void render(boost::json::object& doc, Projection projection, Millis now) const = 0;

  // The field naming the customer a record belongs to, for collections a
  // customer token may read only its own of (orders, bills); nullopt for the
  // others. The one place that says which collections are owned per customer.
  virtual std::optional<std::string_view> owner_field() const { return std::nullopt; }

  // The roles that may read it when a shop declared them (publish topics,
  // domain/topic_collection.hpp); nullopt for collections, whose readers are
  // the rules of auth/access.cpp.
  virtual std::optional<RoleSet> declared_readers() const { return std::nullopt; }

  // The customer a record belongs to (its owner_field). nullopt: not owned
  // per customer; "": owned by no customer (a guest order).
  std::optional<std::string> owner_customer(const boost::json::object& stored) const;
};

// The collections of SPEC §2 handled by the generic catalog code, by name.
const Collection* find_collection(std::string_view name);
const std::vector<const Collection*>& all_collections();

}  // namespace shelfsync
