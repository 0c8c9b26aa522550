#include "feed/hub_messages.hpp"

#include <algorithm>

namespace shelfsync {

namespace {

bool same_changes(const std::vector<Frame>& a, std::span<const Frame> b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const Frame& x, const Frame& y) { return x.get() == y.get(); });
}

}  // namespace

Message MessageCache::get(const LiveConnection& conn, const std::string& sub, std::optional<std::int64_t> cursor,
                          std::span<const Frame> changes) {
  const auto transport = conn.transport();
  for (const auto& s : slots_)
    if (s.message && s.cursor == cursor && s.transport == transport && s.sub == sub && same_changes(s.changes, changes))
      return s.message;
  std::vector<Frame> held(changes.begin(), changes.end());
  auto message = conn.encode_changes(sub, cursor, held);
  if (!message || message->size() > kMaxShared) return message;
  slots_[next_] = Slot{transport, sub, cursor, std::move(held), message};
  next_ = (next_ + 1) % kSlots;
  return message;
}

}  // namespace shelfsync
