// Live protocol messages (SPEC §7): the text of a WebSocket message from a
// client — subscribe, watch, unsubscribe, ping — as live/protocol.cpp
// parses and validates it, for a caller picked by the first byte. Checks:
// what is accepted is within the protocol's bounds (sub 1–64 characters,
// batch_ms 0–5000, a cursor ≥ 0, a known topic the role may read, valid
// ids), and a refusal is a well-formed `error` message.

#include <cstdint>
#include <string_view>
#include <variant>

#include <boost/json/parse.hpp>

#include "auth/access.hpp"
#include "domain/ids.hpp"
#include "filter_check.hpp"
#include "fuzz_check.hpp"
#include "live/protocol.hpp"
#include "principal.hpp"

using namespace shelfsync;
using namespace shelfsync::live;

namespace {

bool valid_sub(const std::string& sub) { return !sub.empty() && sub.size() <= kMaxSubIdLength; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const auto who = fuzz::principal_of(data[0]);
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto message = parse_client_message(text, who);

  if (const auto* s = std::get_if<SubscribeRequest>(&message)) {
    FUZZ_CHECK(valid_sub(s->sub));
    FUZZ_CHECK(s->batch_ms >= 0 && s->batch_ms <= kMaxBatchMs);
    FUZZ_CHECK(!s->since || *s->since >= 0);
    FUZZ_CHECK(s->view.collection != nullptr && may_read(who.role, *s->view.collection));
    fuzz::check_filter(s->view.filter, *s->view.collection, who);
  } else if (const auto* w = std::get_if<WatchRequest>(&message)) {
    FUZZ_CHECK(valid_sub(w->sub));
    for (const auto& id : w->add) FUZZ_CHECK(is_valid_id(id));
    for (const auto& id : w->remove) FUZZ_CHECK(is_valid_id(id));
  } else if (const auto* u = std::get_if<UnsubscribeMessage>(&message)) {
    FUZZ_CHECK(valid_sub(u->sub));
  } else if (const auto* e = std::get_if<ErrorReply>(&message)) {
    boost::system::error_code ec;
    const auto reply = boost::json::parse(e->text, ec);
    FUZZ_CHECK(!ec && reply.is_object());
    const auto* type = reply.as_object().if_contains("type");
    FUZZ_CHECK(type && type->is_string() && type->as_string() == "error");
  }
  return 0;
}
