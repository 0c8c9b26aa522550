#pragma once
// Computed sync digests, each with the log position it holds for, so that a
// repeated GET /api/sync/digest costs one head read while the tenant's log
// has not moved. Bounded; the least recently used answer goes first.

#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/json/object.hpp>

#include "auth/tokens.hpp"
#include "domain/collection.hpp"

namespace shelfsync {

class DigestCache {
 public:
  explicit DigestCache(std::size_t capacity = 256) : capacity_(capacity) {}

  // Everything a digest depends on besides the records: tenant, the reader's
  // view (role, and for a customer its id) and the entities.
  static std::string key(const Principal& who, const std::vector<const Collection*>& entities);

  // The answer kept for `key` if it was computed at log position `head`.
  std::optional<boost::json::object> find(const std::string& key, std::int64_t head);
  void put(const std::string& key, std::int64_t head, boost::json::object answer);

 private:
  struct Entry {
    std::int64_t head;
    boost::json::object answer;
    std::list<std::string>::iterator use;
  };
  std::size_t capacity_;
  std::mutex mu_;
  std::list<std::string> uses_;  // front: most recently used
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace shelfsync
