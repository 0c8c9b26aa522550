#pragma once
// A record's index keys as stored with the record (records.keys): a write
// that does not bring the keys of the version it replaces
// (RecordWrite::previous_keys) replaces those, without an index of
// record_keys by record. Each field and value is written as "<bytes>:<text>", one after the
// other: any byte may occur in a value. SQLite's migration 7 builds the
// same form in SQL from record_keys.

#include <optional>
#include <string>
#include <string_view>

#include "domain/collection.hpp"

namespace shelfsync {

std::string encode_keys(const IndexKeys& keys);
// nullopt if `text` is not what encode_keys writes.
std::optional<IndexKeys> decode_keys(std::string_view text);

}  // namespace shelfsync
