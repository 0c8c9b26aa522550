// Query strings (SPEC §4, §7): the raw query of a request as the server
// splits and decodes it (http/message.hpp parse_query), then read as the
// query of GET /api/{collection} (limit, after, q and the collection's
// filters: http/handlers/list_query.hpp) and of GET /api/stream (topic,
// filter as JSON, since, batch_ms, mode). The first byte picks the
// collection and the caller. Checks: an accepted list query is within its
// bounds; an accepted stream subscription is too, its filter included.

#include "http/handlers/list_query.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string_view>

#include "auth/access.hpp"
#include "domain/ids.hpp"
#include "filter_check.hpp"
#include "fuzz_check.hpp"
#include "http/live_endpoints.hpp"
#include "principal.hpp"

using namespace shelfsync;

namespace {

void check_list(const ListRequest& list, const Collection& c) {
  FUZZ_CHECK(list.limit >= 1 && list.limit <= kMaxListLimit);
  FUZZ_CHECK(list.q.size() <= kMaxSearchLength);
  FUZZ_CHECK(std::none_of(list.q.begin(), list.q.end(), [](char ch) { return std::isupper(ch); }));
  FUZZ_CHECK(list.q.empty() || c.name() == "products");
  FUZZ_CHECK(list.after_id.empty() || is_valid_id(list.after_id));
  const auto fields = c.filter_fields();
  for (const auto& [field, value] : list.filters) {
    FUZZ_CHECK(std::find(fields.begin(), fields.end(), field) != fields.end());
    FUZZ_CHECK(!value.empty() && value.size() <= 200);
    const auto values = c.filter_values(field);
    FUZZ_CHECK(values.empty() || std::find(values.begin(), values.end(), value) != values.end());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const auto& collections = all_collections();
  const Collection& c = *collections[data[0] % collections.size()];
  const auto who = fuzz::principal_of(data[0] / collections.size());
  const std::string_view raw(reinterpret_cast<const char*>(data) + 1, size - 1);

  auto query = parse_query(raw);
  if (!query) return 0;
  Request req;
  req.method = "GET";
  req.query = std::move(*query);

  if (const auto list = parse_list_query(req, c)) check_list(*list, c);

  if (const auto stream = stream_subscription(req, who)) {
    FUZZ_CHECK(stream->sub == "stream");
    FUZZ_CHECK(stream->view.collection != nullptr && may_read(who.role, *stream->view.collection));
    FUZZ_CHECK(stream->batch_ms >= 0 && stream->batch_ms <= kMaxBatchMs);
    FUZZ_CHECK(!stream->since || *stream->since >= 0);
    fuzz::check_filter(stream->view.filter, *stream->view.collection, who);
  }
  return 0;
}
