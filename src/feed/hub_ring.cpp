#include "feed/hub_ring.hpp"

#include <boost/json/parse.hpp>

namespace shelfsync {

namespace json = boost::json;

const json::object* RingEntry::parsed(Parsed& slot, const std::shared_ptr<const std::string>& text) {
  if (!slot.done) {
    slot.done = true;
    if (text && !text->empty()) {
      boost::system::error_code ec;
      auto v = json::parse(*text, ec);
      if (!ec && v.is_object()) slot.doc = std::move(v.as_object());
    }
  }
  return slot.doc ? &*slot.doc : nullptr;
}

Frame RingEntry::frame(const Collection& c, Projection projection, ChangeMode mode, Delivery delivery) {
  const std::size_t slot = delivery == Delivery::remove     ? 0
                           : mode == ChangeMode::invalidate ? 1
                                                            : 2 + static_cast<std::size_t>(projection);
  auto& cached = cache_[slot];
  if (cached) return cached;
  ChangeEntry entry = change.entry;
  entry.deleted = delivery == Delivery::remove;
  StoredRecord record;
  if (slot >= 2) {
    record.entity = entry.entity;
    record.id = entry.id;
    record.version = entry.version;
    record.created_at = change.created_at;
    record.updated_at = entry.at;
    record.data = change.data ? *change.data : std::string("{}");
  }
  cached = std::make_shared<const std::string>(change_json(entry, slot >= 2 ? &record : nullptr, c, projection, mode));
  return cached;
}

void TenantRing::append(const CommittedChange& change) {
  const auto seq = change.entry.seq;
  if (!entries_.empty() && seq != last_seq() + 1) {
    if (seq <= last_seq()) return;  // already have it
    entries_.clear();
  }
  entries_.emplace_back(change);
  while (entries_.size() > capacity_) entries_.pop_front();
}

}  // namespace shelfsync
