#pragma once
// What every accepted record filter must be (feed/view.hpp parse_filter),
// whichever way it came in: a subscription, a stream's query, a webhook.

#include <algorithm>

#include "domain/ids.hpp"
#include "feed/view.hpp"
#include "fuzz_check.hpp"

namespace shelfsync::fuzz {

inline void check_filter(const RecordFilter& filter, const Collection& c, const Principal& who) {
  if (filter.ids) {
    FUZZ_CHECK(filter.ids->size() <= kMaxFilterIds);
    for (const auto& id : *filter.ids) FUZZ_CHECK(is_valid_id(id));
  }
  const auto fields = c.filter_fields();
  for (const auto& [field, value] : filter.equals) {
    FUZZ_CHECK(std::find(fields.begin(), fields.end(), field) != fields.end());
    FUZZ_CHECK(!value.empty() && value.size() <= 200);
    FUZZ_CHECK(!(is_shopper(who.role) && field == "status"));
    FUZZ_CHECK(!(who.role == Role::customer && field == "customer_id" && value != who.customer_id));
  }
}

}  // namespace shelfsync::fuzz
