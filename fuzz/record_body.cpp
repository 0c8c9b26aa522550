// Request bodies and merge patches (SPEC §2–§5): a JSON body as POST
// /api/{collection} reads it (domain/json_util.hpp parse_json_object, then
// the collection's codec: normalize), and a merge patch over the record it
// made as PATCH applies it (merge_patch, then normalize with the previous
// version). The same body is also read as a checkout cart
// (decode_checkout). Input: a selector byte (collection, reader), the body,
// and optionally a NUL byte and a patch. Checks, beyond not crashing:
// - a canonical document survives its storage round trip (serialized and
//   parsed back equal), so a stored record reads back as it was written;
// - normalizing a stored record again without a change gives it back, so an
//   empty PATCH writes no new version;
// - a merge patch applied twice gives what it gave once (RFC 7396);
// - a decoded cart is within its bounds and its total fits.

#include <cstdint>
#include <string_view>

#include <boost/json/parse.hpp>

#include "auth/read_rules.hpp"
#include "domain/checkout.hpp"
#include "domain/json_util.hpp"
#include "fuzz_check.hpp"

using namespace shelfsync;
namespace json = boost::json;

namespace {

constexpr Millis kNow = 1'765'000'000'000;
constexpr Projection kProjections[] = {Projection::admin,   Projection::staff,   Projection::retail,
                                       Projection::partner, Projection::service, Projection::public_};

StoredRecord stored(const Collection& c, const json::object& canonical, std::int64_t version) {
  StoredRecord r;
  r.tenant = "shop_fuzz";
  r.entity = std::string(c.name());
  r.id = std::string(c.id_prefix()) + "_fuzz";
  r.version = version;
  r.created_at = kNow - 1000;
  r.updated_at = kNow;
  r.data = to_json(canonical);
  return r;
}

// Everything the server does with a canonical document of `c` that it
// stored, and the checks on it.
void use_canonical(const Collection& c, const json::object& canonical, const NormalizeContext& ctx,
                   std::int64_t version) {
  const auto record = stored(c, canonical, version);
  FUZZ_CHECK(json::parse(record.data) == json::value(canonical));

  auto again = c.normalize(with_system_fields(canonical, record), &canonical, ctx);
  FUZZ_CHECK(again && *again == canonical);

  (void)c.index_keys(canonical);
  (void)c.search_text(canonical);
  (void)c.owner_customer(canonical);
  for (const auto role : kRoles) (void)c.visible_to(canonical, role);
  for (const auto projection : kProjections) (void)render_document(canonical, record, c, projection);
}

void check_cart(const json::object& body) {
  const auto items = decode_checkout(body);
  if (!items) return;
  FUZZ_CHECK(!items->empty() && items->size() <= kMaxCheckoutItems);
  for (const auto& item : *items) {
    FUZZ_CHECK(item.qty >= 1 && item.qty <= kMaxCheckoutQty);
    FUZZ_CHECK(item.unit_price >= 0 && item.unit_price <= kMaxPrice);
    FUZZ_CHECK(line_total(item) <= kMaxLineTotal);
  }
  FUZZ_CHECK(checkout_total(*items) <= kMaxOrderTotal);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const auto& collections = all_collections();
  const Collection& c = *collections[data[0] % collections.size()];
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto nul = rest.find('\0');
  const auto body_text = rest.substr(0, nul);

  const auto body = parse_json_object(body_text);
  if (!body) return 0;
  check_cart(*body);
  const NormalizeContext ctx{kNow, "EUR"};
  const auto canonical = c.normalize(*body, nullptr, ctx);
  if (!canonical) return 0;
  use_canonical(c, *canonical, ctx, 1);

  if (nul == std::string_view::npos) return 0;
  const auto patch = parse_json(rest.substr(nul + 1));
  if (!patch || !patch->is_object()) return 0;  // PATCH refuses a patch that is not an object
  const auto record = stored(c, *canonical, 1);
  json::value once = with_system_fields(*canonical, record);
  merge_patch(once, *patch);
  json::value twice = once;
  merge_patch(twice, *patch);
  FUZZ_CHECK(once == twice);
  const auto next = c.normalize(once.as_object(), &*canonical, ctx);
  if (next) use_canonical(c, *next, ctx, 2);
  return 0;
}
