#pragma once
// "stats": the shop's figures as live records (SPEC §5), ids `today` and
// `last_30_days`, each the object GET /api/stats answers for that period in
// the shop's time zone. Only the stats publisher (commerce/stats_publisher)
// writes them, never a client. Readable by admin, staff and service.
//
// A stored document also carries `next_change_at`: when its figures next
// change by the clock alone (the shop's midnight, a bill falling due). It
// is the record's timed index key, so the publisher's timer finds what is
// due across tenants, also after a restart; readers never see it.

#include "domain/collection.hpp"

namespace shelfsync {

inline constexpr const char* kStatsToday = "today";
inline constexpr const char* kStatsLast30Days = "last_30_days";
inline constexpr const char* kStatsNextChange = "next_change_at";

class StatsCollection final : public Collection {
 public:
  std::string_view name() const override { return "stats"; }
  std::string_view id_prefix() const override { return "stats"; }
  Result<boost::json::object> normalize(const boost::json::object& input, const boost::json::object* previous,
                                        const NormalizeContext& ctx) const override;
  IndexKeys index_keys(const boost::json::object& stored) const override;
  std::vector<std::string_view> filter_fields() const override { return {}; }
  bool visible_to(const boost::json::object& stored, Role role) const override;
  void render(boost::json::object& doc, Projection projection, Millis now) const override;
};

}  // namespace shelfsync
