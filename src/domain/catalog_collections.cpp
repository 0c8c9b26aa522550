#include "domain/catalog_collections.hpp"

#include <boost/json.hpp>

#include "domain/json_read.hpp"
#include "domain/json_util.hpp"
#include "domain/text.hpp"

namespace shelfsync {

namespace json = boost::json;

namespace {

constexpr std::size_t kMaxName = 200;
constexpr std::size_t kMaxSlug = 200;
constexpr std::int64_t kMaxPosition = 1'000'000'000;
constexpr std::size_t kMaxEmail = 254;

// A name with no ASCII letter or digit ("日本") still needs a slug: its
// UTF-8 bytes in hex are stable and valid.
std::string derive_slug(std::string_view name) {
  std::string slug = slugify(name, kMaxSlug);
  if (!slug.empty()) return slug;
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned char c : name) {
    if (slug.size() + 2 > kMaxSlug) break;
    slug += kHex[c >> 4];
    slug += kHex[c & 15];
  }
  return slug;
}

bool is_valid_email(std::string_view email) {
  const auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == email.size()) return false;
  if (email.find('@', at + 1) != std::string_view::npos) return false;
  for (unsigned char c : email)
    if (c <= ' ' || c == 0x7f) return false;  // no spaces or control characters
  return true;
}

}  // namespace

Result<CatalogNode> decode_catalog_node(const json::object& input, std::string_view self_id) {
  Errors errors;
  MemberReader r(input, "", errors);
  CatalogNode node;
  const bool has_name = r.require("name") && r.string("name", 1, kMaxName, node.name);
  if (r.has("slug")) {
    if (r.string("slug", 1, kMaxSlug, node.slug) && !is_valid_slug(node.slug, kMaxSlug))
      errors.add("slug", "must be lowercase letters, digits and '-'");
  } else if (has_name) {
    node.slug = derive_slug(node.name);
  }
  if (r.id("parent_id", node.parent_id) && !self_id.empty() && *node.parent_id == self_id)
    errors.add("parent_id", "must not be the record itself");
  r.integer("position", -kMaxPosition, kMaxPosition, node.position);
  r.reject_unknown({"name", "slug", "parent_id", "position"}, {"id", "version", "created_at", "updated_at"});
  if (!errors.empty()) return errors.problem();
  return node;
}

json::object encode_catalog_node(const CatalogNode& node) {
  json::object o;
  o["name"] = node.name;
  o["slug"] = node.slug;
  if (node.parent_id) o["parent_id"] = *node.parent_id;
  o["position"] = node.position;
  return o;
}

Result<Customer> decode_customer(const json::object& input) {
  Errors errors;
  MemberReader r(input, "", errors);
  Customer c;
  if (r.require("name")) r.string("name", 1, kMaxName, c.name);
  if (r.require("email") && r.string("email", 1, kMaxEmail, c.email) && !is_valid_email(c.email))
    errors.add("email", "must be an email address (one '@', no spaces)");
  std::size_t kind = 0;
  if (r.one_of("kind", kCustomerKinds, kind)) c.kind = static_cast<CustomerKind>(kind);
  r.reject_unknown({"name", "email", "kind"}, {"id", "version", "created_at", "updated_at"});
  if (!errors.empty()) return errors.problem();
  return c;
}

json::object encode_customer(const Customer& customer) {
  json::object o;
  o["name"] = customer.name;
  o["email"] = customer.email;
  o["kind"] = to_string(customer.kind);
  return o;
}

// ---- categories, brands, units --------------------------------------------

Result<json::object> CatalogNodeCollection::normalize(const json::object& input, const json::object* previous,
                                                      const NormalizeContext& ctx) const {
  // The record's own id, where the caller left it in the document.
  std::string_view self_id = string_or_empty(input, "id");
  if (self_id.empty() && previous) self_id = string_or_empty(*previous, "id");
  auto node = decode_catalog_node(input, self_id);
  if (!node) return std::move(node.problem());
  return encode_catalog_node(*node);
}

IndexKeys CatalogNodeCollection::index_keys(const json::object& stored) const {
  IndexKeys keys;
  keys.emplace_back("slug", std::string(string_or_empty(stored, "slug")));
  if (auto parent = string_or_empty(stored, "parent_id"); !parent.empty())
    keys.emplace_back("parent_id", std::string(parent));
  return keys;
}

std::vector<std::string_view> CatalogNodeCollection::filter_fields() const { return {"parent_id", "slug"}; }

std::string CatalogNodeCollection::search_text(const json::object& stored) const {
  std::string text(string_or_empty(stored, "name"));
  text += ' ';
  text += string_or_empty(stored, "slug");
  return ascii_lower(text);
}

bool CatalogNodeCollection::visible_to(const json::object& stored, Role role) const { return true; }

// ---- customers -------------------------------------------------------------

Result<json::object> CustomerCollection::normalize(const json::object& input, const json::object* previous,
                                                   const NormalizeContext& ctx) const {
  auto customer = decode_customer(input);
  if (!customer) return std::move(customer.problem());
  return encode_customer(*customer);
}

IndexKeys CustomerCollection::index_keys(const json::object& stored) const {
  return {{"email", ascii_lower(string_or_empty(stored, "email"))},
          {"kind", std::string(to_string(customer_kind_of(string_or_empty(stored, "kind"))))}};
}

std::vector<std::string_view> CustomerCollection::filter_fields() const { return {"email", "kind"}; }

std::span<const std::string_view> CustomerCollection::filter_values(std::string_view field) const {
  if (field == "kind") return kCustomerKinds;
  return {};
}

std::string CustomerCollection::search_text(const json::object& stored) const {
  std::string text(string_or_empty(stored, "name"));
  text += ' ';
  text += string_or_empty(stored, "email");
  return ascii_lower(text);
}

bool CustomerCollection::visible_to(const json::object& stored, Role role) const { return role != Role::public_; }

void CustomerCollection::render(json::object& doc, Projection, Millis) const {
  if (!doc.contains("kind")) doc["kind"] = to_string(CustomerKind::retail);
}

}  // namespace shelfsync
