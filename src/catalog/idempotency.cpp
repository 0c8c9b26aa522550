#include "catalog/idempotency.hpp"

#include <algorithm>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "domain/ids.hpp"

namespace shelfsync {

std::optional<Problem> check_idempotency_key(std::string_view key, bool required) {
  if (key.empty()) {
    if (!required) return std::nullopt;
    return Problem::of(ErrorCode::idempotency_key_required,
                       "send an Idempotency-Key header (any unique string, e.g. a UUID) "
                       "so a retry cannot act twice");
  }
  if (key.size() > kMaxIdempotencyKeyLength)
    return Problem::of(ErrorCode::bad_idempotency_key, "Idempotency-Key is longer than 255 characters");
  for (char ch : key)
    if (ch < 0x21 || ch > 0x7e)
      return Problem::of(ErrorCode::bad_idempotency_key, "Idempotency-Key must be visible ASCII characters");
  return std::nullopt;
}

namespace {

void append_canonical(std::string& out, const boost::json::value& v) {
  if (v.is_array()) {
    out += '[';
    const auto& a = v.get_array();
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (i) out += ',';
      append_canonical(out, a[i]);
    }
    out += ']';
    return;
  }
  if (!v.is_object()) {
    out += boost::json::serialize(v);
    return;
  }
  std::vector<const boost::json::key_value_pair*> members;
  for (const auto& kv : v.get_object()) members.push_back(&kv);
  std::sort(members.begin(), members.end(), [](auto* a, auto* b) { return a->key() < b->key(); });
  out += '{';
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (i) out += ',';
    out += boost::json::serialize(boost::json::value(members[i]->key()));
    out += ':';
    append_canonical(out, members[i]->value());
  }
  out += '}';
}

}  // namespace

std::string canonical_json(const boost::json::value& body) {
  std::string out;
  append_canonical(out, body);
  return out;
}

std::string request_fingerprint(std::string_view operation, const Principal& who, std::string_view canonical_body) {
  std::string material;
  material.reserve(operation.size() + who.actor.size() + canonical_body.size() + 2);
  material.append(operation).append("\n").append(who.actor).append("\n").append(canonical_body);
  return sha256_hex(material);
}

std::optional<Result<CommerceAnswer>> kept_answer(WriteTxn& txn, const std::string& tenant, const std::string& key,
                                                  const std::string& fingerprint) {
  if (key.empty()) return std::nullopt;
  auto kept = txn.idempotent(tenant, key);
  if (!kept) return std::nullopt;
  if (kept->fingerprint != fingerprint)
    return Result<CommerceAnswer>(
        Problem::of(ErrorCode::idempotency_key_reused,
                    "this Idempotency-Key was already used for a different request; use a new key"));
  return Result<CommerceAnswer>(CommerceAnswer{kept->status, kept->body, true});
}

void keep_answer(WriteTxn& txn, const std::string& tenant, const std::string& key, const std::string& fingerprint,
                 const CommerceAnswer& answer) {
  if (key.empty()) return;
  txn.put_idempotent(tenant, key, IdempotentAnswer{fingerprint, answer.status, answer.body});
}

Result<boost::json::object> write_answer(Store& store, IdempotentRequest* request, const AnswerFn& fn) {
  const bool keyed = request && !request->key.empty();
  std::optional<boost::json::object> out;
  std::optional<std::string> replay;
  auto problem = store.write([&](WriteTxn& txn) -> std::optional<Problem> {
    out.reset();
    replay.reset();
    if (keyed) {
      if (auto kept = kept_answer(txn, request->tenant, request->key, request->fingerprint)) {
        if (!*kept) return kept->problem();
        replay = std::move((*kept)->body);
        return std::nullopt;
      }
    }
    if (auto p = fn(txn, out)) return p;
    if (keyed)
      keep_answer(txn, request->tenant, request->key, request->fingerprint,
                  CommerceAnswer{request->status, boost::json::serialize(*out)});
    return std::nullopt;
  });
  if (problem) return *problem;
  if (replay) {
    request->replayed = true;
    return boost::json::parse(*replay).as_object();
  }
  return std::move(*out);
}

}  // namespace shelfsync
