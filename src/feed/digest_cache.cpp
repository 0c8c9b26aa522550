#include "feed/digest_cache.hpp"

#include <algorithm>

namespace shelfsync {

std::string DigestCache::key(const Principal& who, const std::vector<const Collection*>& entities) {
  std::vector<std::string_view> names;
  for (const auto* c : entities) names.push_back(c->name());
  std::sort(names.begin(), names.end());  // the digest sorts its lines: order does not matter
  std::string out =
      who.tenant + '\n' + std::string(to_string(who.projection())) + '\n' + who.customer_id;
  for (auto n : names) (out += '\n') += n;
  return out;
}

std::optional<boost::json::object> DigestCache::find(const std::string& key, std::int64_t head) {
  std::lock_guard lock(mu_);
  const auto it = entries_.find(key);
  if (it == entries_.end() || it->second.head != head) return std::nullopt;
  uses_.splice(uses_.begin(), uses_, it->second.use);
  return it->second.answer;
}

void DigestCache::put(const std::string& key, std::int64_t head, boost::json::object answer) {
  if (capacity_ == 0) return;
  std::lock_guard lock(mu_);
  if (const auto it = entries_.find(key); it != entries_.end()) {
    uses_.splice(uses_.begin(), uses_, it->second.use);
    it->second.head = head;
    it->second.answer = std::move(answer);
    return;
  }
  if (entries_.size() >= capacity_) {
    entries_.erase(uses_.back());
    uses_.pop_back();
  }
  uses_.push_front(key);
  entries_.emplace(key, Entry{head, std::move(answer), uses_.begin()});
}

}  // namespace shelfsync
