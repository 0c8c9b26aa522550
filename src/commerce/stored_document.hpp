#pragma once
// Reading a stored order or bill as its type (domain/order.hpp, bill.hpp).
// The server writes every such document through the collection's codec, so
// one that no longer decodes was changed outside the server: that is a 500
// naming the record, never the caller's 422.

#include <string>
#include <utility>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>

#include "domain/collection.hpp"
#include "domain/problem.hpp"
#include "store/store.hpp"

namespace shelfsync {

// A stored record, its document and the document's typed value.
template <class T>
struct StoredDocument {
  StoredRecord record;
  boost::json::object json;  // as stored: the previous document of the next version
  T value;
};

// A document codec's decode: decode_order, decode_bill, ...
template <class T>
using DocumentDecoder = Result<T> (*)(const boost::json::object&, const NormalizeContext&);

inline Problem undecodable_record(const StoredRecord& record, const Problem& invalid) {
  Problem p = Problem::internal("the stored " + record.entity + " record '" + record.id +
                                "' does not decode: " + invalid.detail);
  p.errors = invalid.errors;
  return p;
}

// `record` with its document decoded; `ctx` fills what the codec defaults.
template <class T>
Result<StoredDocument<T>> decode_stored(StoredRecord record, DocumentDecoder<T> decode, const NormalizeContext& ctx) {
  auto json = boost::json::parse(record.data).as_object();
  auto value = decode(json, ctx);
  if (!value) return undecodable_record(record, value.problem());
  return StoredDocument<T>{std::move(record), std::move(json), std::move(*value)};
}

}  // namespace shelfsync
