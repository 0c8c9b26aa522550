#pragma once
// Publish topics (SPEC §8): data whose source of truth is elsewhere (a
// warehouse system's figures, another system's events) travels the same
// log, hub and readers as the shop's own records. A shop's admin declares
// a topic and the roles that read it; a service publishes `{key, data}`;
// each key is a record of the topic (id = key, document `{"data": …}`), so
// readers get it ordered, resumable and coalesced by key, `data: null` a
// delete. A topic is one more Collection, one per (shop, name), known to
// the registry below; its readers are the declared roles.

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "domain/collection.hpp"
#include "domain/role.hpp"
#include "util/mutex.hpp"

namespace shelfsync {

inline constexpr std::size_t kMaxTopicKey = 200;
inline constexpr std::size_t kMaxTopicsPerShop = 100;

class TopicCollection final : public Collection {
 public:
  TopicCollection(std::string name, RoleSet readers) : name_(std::move(name)), readers_(readers) {}

  std::string_view name() const override { return name_; }
  std::string_view id_prefix() const override { return "key"; }  // keys are given, never made
  // {"data": any JSON}: what was published.
  Result<boost::json::object> normalize(const boost::json::object& input, const boost::json::object* previous,
                                        const NormalizeContext& ctx) const override;
  IndexKeys index_keys(const boost::json::object& stored) const override { return {}; }
  std::vector<std::string_view> filter_fields() const override { return {}; }
  bool visible_to(const boost::json::object& stored, Role role) const override {
    return (readers() & role_bit(role)) != 0;
  }
  void render(boost::json::object& doc, Projection projection, Millis now) const override {}
  std::optional<RoleSet> declared_readers() const override { return readers(); }

  RoleSet readers() const { return readers_.load(std::memory_order_relaxed); }
  void set_readers(RoleSet readers) { readers_.store(readers, std::memory_order_relaxed); }

 private:
  std::string name_;
  std::atomic<RoleSet> readers_;
};

// `[a-z0-9_.-]{1,64}` and not a collection's name.
bool is_valid_topic_name(std::string_view name);
// Visible ASCII, 1–200 characters.
bool is_valid_topic_key(std::string_view key);

// Every shop's declared topics; a topic, once declared, lives as long as the
// process (readers hold its Collection). Thread-safe.
class TopicRegistry {
 public:
  static TopicRegistry& global();

  // Declares the topic or changes its readers.
  void declare(const std::string& tenant, const std::string& name, RoleSet readers);
  const TopicCollection* find(const std::string& tenant, std::string_view name) const;
  std::vector<const TopicCollection*> of(const std::string& tenant) const;

 private:
  mutable Mutex mu_;
  // Keyed "<tenant>\n<name>": a tenant's topics sort together.
  std::map<std::string, std::unique_ptr<TopicCollection>, std::less<>> topics_ GUARDED_BY(mu_);
};

// A collection by name, or else one of the shop's declared topics.
const Collection* find_topic(const std::string& tenant, std::string_view name);

}  // namespace shelfsync
