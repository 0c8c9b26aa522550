#include "feed/reader.hpp"

#include <algorithm>

#include <boost/json/parse.hpp>

namespace shelfsync {

namespace json = boost::json;

namespace {

std::optional<json::object> parse_record(const StoredRecord& r) {
  boost::system::error_code ec;
  auto v = json::parse(r.data, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

Frame change_frame(const ChangeEntry& change, const StoredRecord* record, const ReaderView& view, ChangeMode mode) {
  return std::make_shared<const std::string>(
      change_json(change, record, *view.collection, view.who.projection(), mode));
}

}  // namespace

bool Reader::already_out(const std::string& id, std::int64_t seq, std::int64_t version) {
  if (pages && pages->covered(id, seq)) return true;
  auto sv = sent_version_.find(id);
  if (sv == sent_version_.end()) return false;
  if (version <= sv->second) return true;
  sent_version_.erase(sv);  // the log has moved past what was handed out
  return false;
}

Frame Reader::next(TenantRing& ring) {
  auto& e = ring.at(cursor_ + 1);
  cursor_ = e.change.entry.seq;
  const auto& entry = e.change.entry;
  if (entry.entity != view_.topic()) return nullptr;
  // Before any bookkeeping: a record the ids filter does not name leaves no
  // trace in the reader (judge would skip it too).
  if (!view_.follows(entry.id)) return nullptr;
  if (already_out(entry.id, entry.seq, entry.version)) return nullptr;
  // The reader holds the state before this change: known from the commit,
  // or, for a delete, the tombstone's last state — unless a store page
  // passed the record over.
  const auto* after = e.doc();
  const auto* before = e.previous() ? e.previous() : (entry.deleted ? after : nullptr);
  if (!unsure_.empty() && unsure_.erase(entry.id)) before = nullptr;
  const ChangeFacts facts{entry.id, entry.deleted,    after,
                          before,   e.change.seen_by, entry.version == 1 && !entry.deleted};
  const auto d = judge(view_, facts);
  if (d == Delivery::skip) return nullptr;
  return e.frame(*view_.collection, view_.who.projection(), mode_, d);
}

std::vector<ReplayDelivery> Reader::read_replay(const ReplayPage& page) {
  std::vector<ReplayDelivery> out;
  for (const auto& item : page.items) {
    const auto& change = item.change;
    if (change.entity != view_.topic()) continue;
    if (!view_.follows(change.id)) continue;
    if (already_out(change.id, change.seq, change.version)) continue;
    unsure_.erase(change.id);
    const auto doc = parse_record(item.record);  // a tombstone keeps its last state
    // While a snapshot settles, a record born after the first page's seq may
    // be in a later page: the reader may hold it.
    const ChangeFacts facts{change.id, item.record.deleted, doc ? &*doc : nullptr,
                            nullptr,   item.record.seen_by, item.created_in_window && !pages};
    const auto d = judge(view_, facts);
    if (d != Delivery::skip) out.push_back({&item, d});
  }
  for (const auto& change : page.moved_on)
    if (change.entity == view_.topic()) unsure_.insert(change.id);
  cursor_ = std::max(cursor_, page.cursor);
  return out;
}

Frame Reader::frame(const ReplayDelivery& d) const {
  ChangeEntry change = d.item->change;
  change.deleted = d.delivery == Delivery::remove;
  return change_frame(change, &d.item->record, view_, mode_);
}

Frame Reader::snapshot_frame(const StoredRecord& r) const {
  const auto doc = parse_record(r);
  if (r.deleted || !doc || !view_.sees(r.id, *doc)) return nullptr;
  const ChangeEntry change{0, r.entity, r.id, false, r.version, "", r.updated_at};
  return change_frame(change, &r, view_, mode_);
}

Frame Reader::removal_frame(const StoredRecord& r) const {
  const auto doc = parse_record(r);
  if (r.deleted || !doc || !view_.matches(r.id, *doc)) return nullptr;
  const ChangeEntry gone{0, r.entity, r.id, true, r.version, "", r.updated_at};
  return change_frame(gone, nullptr, view_, mode_);
}

bool Reader::add_pending(const std::string& id, Frame frame, bool coalesce) {
  bool replaced = false;
  if (coalesce) {
    for (; indexed_ < pending_.size(); ++indexed_) latest_slot_[pending_[indexed_].id] = indexed_;
    auto it = latest_slot_.find(id);
    if (it != latest_slot_.end() && pending_[it->second].frame) {
      pending_[it->second].frame = nullptr;  // keep only the latest
      --pending_count_;
      replaced = true;
    }
  }
  if (pending_.size() >= 2 * pending_count_ + 64) compact_pending();
  pending_.push_back({id, std::move(frame)});
  ++pending_count_;
  return replaced;
}

void Reader::compact_pending() {
  std::erase_if(pending_, [](const Pending& p) { return !p.frame; });
  latest_slot_.clear();
  indexed_ = 0;
}

void Reader::drop_pending(const std::string& id) {
  for (auto& p : pending_)
    if (p.frame && p.id == id) {
      p.frame = nullptr;
      --pending_count_;
    }
}

std::vector<Frame> Reader::take_pending() {
  std::vector<Frame> frames;
  frames.reserve(pending_count_);
  for (auto& p : pending_)
    if (p.frame) frames.push_back(std::move(p.frame));
  pending_.clear();
  pending_count_ = 0;
  latest_slot_.clear();
  indexed_ = 0;
  return frames;
}

}  // namespace shelfsync
