#include "integrations/publish_service.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

#include "catalog/record_writes.hpp"
#include "domain/json_read.hpp"
#include "domain/time.hpp"
#include "domain/topic_collection.hpp"

namespace shelfsync {
namespace {

namespace json = boost::json;

}  // namespace

json::object render_topic(const TopicRow& t) {
  json::array read;
  for (const auto role : kRoles)
    if (t.readers & role_bit(role)) read.emplace_back(to_string(role));
  return json::object{{"name", t.name},
                      {"read", std::move(read)},
                      {"created_at", format_rfc3339(t.created_at)},
                      {"updated_at", format_rfc3339(t.updated_at)}};
}

Result<RoleSet> decode_topic_readers(const json::object& body) {
  Errors errors;
  MemberReader r(body, "", errors);
  r.require("read");
  RoleSet readers = 0;
  if (const auto* read = r.array("read", kRoles.size())) {
    for (std::size_t i = 0; i < read->size(); ++i) {
      const auto& v = (*read)[i];
      const auto role = v.is_string() ? parse_role(v.as_string()) : std::nullopt;
      if (!role)
        errors.add("read[" + std::to_string(i) + "]", "must be admin, staff, service, customer or public");
      else
        readers |= role_bit(*role);
    }
  }
  r.reject_unknown({"read"}, {"name", "created_at", "updated_at"});
  if (!errors.empty()) return errors.problem();
  return readers | role_bit(Role::admin);  // the admin reads what it declares
}

Result<PublishRequest> decode_publish(const json::object& body) {
  Errors errors;
  MemberReader r(body, "", errors);
  r.require("topic");
  r.require("key");
  std::string topic, key;
  r.string("topic", 1, 64, topic);
  if (r.string("key", 1, kMaxTopicKey, key) && !is_valid_topic_key(key))
    errors.add("key", "must be 1–200 visible ASCII characters");
  if (!body.contains("data")) errors.add("data", "is required (null deletes the key)");
  r.reject_unknown({"topic", "key", "data"});
  if (!errors.empty()) return errors.problem();
  return PublishRequest{std::move(topic), std::move(key), body.at("data")};
}

void PublishService::load() {
  for (const auto& t : store_.topics("")) TopicRegistry::global().declare(t.tenant, t.name, t.readers);
}

Result<std::pair<bool, TopicRow>> PublishService::declare(const Principal& who, const std::string& name,
                                                          const json::object& body) {
  if (who.role != Role::admin) return Problem::forbidden("only the shop's admin declares topics");
  if (!is_valid_topic_name(name))
    return Problem::of(ErrorCode::bad_topic, "a topic's name is 1–64 of a-z 0-9 _ . - and not a collection's name");
  auto readers = decode_topic_readers(body);
  if (!readers) return readers.problem();
  const bool full = store_.topics(who.tenant).size() >= kMaxTopicsPerShop;
  bool created = false;
  TopicRow row;
  auto problem = store_.write([&](WriteTxn& txn) -> std::optional<Problem> {
    const auto now = now_ms();
    auto current = txn.topic(who.tenant, name);
    created = !current;
    if (created && full)
      return Problem::of(ErrorCode::too_many_topics,
                         "a shop declares at most " + std::to_string(kMaxTopicsPerShop) + " topics");
    row = current.value_or(TopicRow{who.tenant, name, 0, now, now});
    row.readers = *readers;
    row.updated_at = now;
    txn.put_topic(row);
    return std::nullopt;
  });
  if (problem) return *problem;
  TopicRegistry::global().declare(who.tenant, name, *readers);
  return std::pair{created, row};
}

Result<std::vector<TopicRow>> PublishService::list(const Principal& who) {
  if (who.role != Role::admin) return Problem::forbidden("only the shop's admin lists topics");
  return store_.topics(who.tenant);
}

Result<json::object> PublishService::publish(const Principal& who, const json::object& body, const std::string& origin,
                                             IdempotentRequest* idempotency) {
  if (who.role != Role::service && who.role != Role::admin)
    return Problem::forbidden("a " + std::string(to_string(who.role)) + " token may not publish");
  auto request = decode_publish(body);
  if (!request) return request.problem();
  // Named, not a structured binding: the lambda below captures them.
  const std::string& topic = request->topic;
  const std::string& key = request->key;
  const json::value& data = request->data;
  const auto* c = TopicRegistry::global().find(who.tenant, topic);
  if (!c)
    return Problem::of(ErrorCode::unknown_topic,
                       "no topic '" + topic.substr(0, 64) + "' is declared: PUT /api/topics/{name} first");
  return write_answer(
      store_, idempotency, [&](WriteTxn& txn, std::optional<json::object>& out) -> std::optional<Problem> {
        const auto now = now_ms();
        const auto current = txn.get(who.tenant, topic, key);
        const bool live = current && !current->deleted;
        // A delete of a key that holds nothing writes nothing: version 0.
        out = json::object{{"topic", topic}, {"key", key}, {"version", 0}, {"deleted", data.is_null()}};
        if (data.is_null()) {
          if (!live) return std::nullopt;
          auto w = tombstone_write(*c, *current, json::parse(current->data).as_object(), now, origin);
          (*out)["version"] = w.record.version;
          txn.put(w);
          return std::nullopt;
        }
        const json::object doc{{"data", data}};
        auto w = current
                     ? next_version_write(*c, *current, live ? json::parse(current->data).as_object() : json::object{},
                                          doc, now, origin)
                     : new_record_write(*c, who.tenant, key, doc, now, origin);
        (*out)["version"] = w.record.version;
        txn.put(w);
        return std::nullopt;
      });
}

}  // namespace shelfsync
