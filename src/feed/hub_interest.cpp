#include "feed/hub_interest.hpp"

#include "feed/hub_impl.hpp"

namespace shelfsync {

namespace {

std::string topic_of(const Subscription& s) { return std::string(s.view().topic()); }

}  // namespace

void InterestIndex::add(const std::shared_ptr<Subscription>& s) {
  auto& topic = topics_[topic_of(*s)];
  const auto& ids = s->view().filter.ids;
  if (!ids) {
    topic.broad.emplace(s.get(), s);
    return;
  }
  for (const auto& id : *ids) count(topic.by_id[id].emplace(s.get(), s).second ? 1 : 0);
}

void InterestIndex::remove(const Subscription& s) {
  auto it = topics_.find(topic_of(s));
  if (it == topics_.end()) return;
  auto& topic = it->second;
  const auto& ids = s.view().filter.ids;
  if (!ids) {
    topic.broad.erase(&s);
  } else {
    for (const auto& id : *ids) remove_id(s, id);
  }
  if (topic.broad.empty() && topic.by_id.empty()) topics_.erase(it);
}

void InterestIndex::add_id(const std::shared_ptr<Subscription>& s, const std::string& id) {
  count(topics_[topic_of(*s)].by_id[id].emplace(s.get(), s).second ? 1 : 0);
}

void InterestIndex::remove_id(const Subscription& s, const std::string& id) {
  auto it = topics_.find(topic_of(s));
  if (it == topics_.end()) return;
  auto room = it->second.by_id.find(id);
  if (room == it->second.by_id.end()) return;
  count(-static_cast<std::int64_t>(room->second.erase(&s)));
  if (room->second.empty()) it->second.by_id.erase(room);
}

std::vector<std::shared_ptr<Subscription>> InterestIndex::collect(const std::vector<CommittedChange>& changes) {
  ++round_;
  std::vector<std::shared_ptr<Subscription>> out;
  auto take = [&](const Set& set) {
    for (const auto& [raw, s] : set) {
      if (s->interest_round == round_) continue;
      s->interest_round = round_;
      out.push_back(s);
    }
  };
  const std::string* last_topic = nullptr;
  for (const auto& c : changes) {
    auto topic = topics_.find(c.entry.entity);
    if (topic == topics_.end()) continue;
    // Consecutive changes of one topic take its broad set once (the round
    // mark keeps any subscription from being taken twice anyway).
    if (!last_topic || *last_topic != c.entry.entity) take(topic->second.broad);
    last_topic = &c.entry.entity;
    if (auto room = topic->second.by_id.find(c.entry.id); room != topic->second.by_id.end()) take(room->second);
  }
  return out;
}

}  // namespace shelfsync
