#pragma once
// Publish topics without HTTP (SPEC §8; domain/topic_collection.hpp): an
// admin declares a topic and the roles that read it; a service (or the
// admin) publishes `{topic, key, data}`, which becomes the next version of
// record `key` of the topic — or its tombstone for `data: null` — in the
// change log, so every reader gets it like any record. Blocks on the store.

#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "auth/tokens.hpp"
#include "catalog/idempotency.hpp"
#include "domain/problem.hpp"
#include "store/store.hpp"

namespace shelfsync {

// A publish body {topic, key, data}, its members checked (422 naming each
// bad one); whether the topic is declared is the service's question.
struct PublishRequest {
  std::string topic;
  std::string key;
  boost::json::value data;  // null deletes the key
};
Result<PublishRequest> decode_publish(const boost::json::object& body);

// A topic declaration body {read: [role, ...]}: the roles that read it, the
// admin always among them (422 naming each bad member).
Result<RoleSet> decode_topic_readers(const boost::json::object& body);

class PublishService {
 public:
  explicit PublishService(Store& store) : store_(store) {}

  // Every shop's declared topics into the registry (at start).
  void load();
  // PUT /api/topics/{name} {read: [role, ...]}: created (true) or changed.
  Result<std::pair<bool, TopicRow>> declare(const Principal& who, const std::string& name,
                                            const boost::json::object& body);
  Result<std::vector<TopicRow>> list(const Principal& who);
  // {topic, key, version, deleted}; `idempotency`: the request's key (null or keyless: none).
  Result<boost::json::object> publish(const Principal& who, const boost::json::object& body, const std::string& origin,
                                      IdempotentRequest* idempotency);

 private:
  Store& store_;
};

boost::json::object render_topic(const TopicRow& topic);

}  // namespace shelfsync
