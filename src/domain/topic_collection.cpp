#include "domain/topic_collection.hpp"

namespace shelfsync {

namespace json = boost::json;

Result<json::object> TopicCollection::normalize(const json::object& input, const json::object* previous,
                                                const NormalizeContext& ctx) const {
  const auto* data = input.if_contains("data");
  if (!data || input.size() != 1) return Problem::validation({{"data", "a published record is {\"data\": any JSON}"}});
  return json::object{{"data", *data}};
}

bool is_valid_topic_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || find_collection(name)) return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

bool is_valid_topic_key(std::string_view key) {
  if (key.empty() || key.size() > kMaxTopicKey) return false;
  for (const char c : key)
    if (c < 0x21 || c > 0x7e) return false;
  return true;
}

namespace {

std::string registry_key(std::string_view tenant, std::string_view name) {
  std::string k(tenant);
  k += '\n';
  k += name;
  return k;
}

}  // namespace

TopicRegistry& TopicRegistry::global() {
  static TopicRegistry registry;
  return registry;
}

void TopicRegistry::declare(const std::string& tenant, const std::string& name, RoleSet readers) {
  MutexLock lock(&mu_);
  auto& slot = topics_[registry_key(tenant, name)];
  if (slot)
    slot->set_readers(readers);
  else
    slot = std::make_unique<TopicCollection>(name, readers);
}

const TopicCollection* TopicRegistry::find(const std::string& tenant, std::string_view name) const {
  MutexLock lock(&mu_);
  auto it = topics_.find(registry_key(tenant, name));
  return it == topics_.end() ? nullptr : it->second.get();
}

std::vector<const TopicCollection*> TopicRegistry::of(const std::string& tenant) const {
  MutexLock lock(&mu_);
  std::vector<const TopicCollection*> out;
  const auto prefix = registry_key(tenant, "");
  for (auto it = topics_.lower_bound(prefix); it != topics_.end() && it->first.starts_with(prefix); ++it)
    out.push_back(it->second.get());
  return out;
}

const Collection* find_topic(const std::string& tenant, std::string_view name) {
  if (const auto* c = find_collection(name)) return c;
  return TopicRegistry::global().find(tenant, name);
}

}  // namespace shelfsync
