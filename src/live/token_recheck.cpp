#include "live/token_recheck.hpp"

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "live/registry.hpp"
#include "store/store.hpp"

namespace shelfsync::live {

TokenRecheck::TokenRecheck(Store& store, Registry& sessions, std::chrono::milliseconds interval)
    : store_(store), sessions_(sessions), thread_("token-recheck", interval, [this] { check_now(); }) {}

std::size_t TokenRecheck::check_now() {
  std::unordered_map<std::string, std::vector<std::shared_ptr<LiveSession>>> by_token;
  for (auto& s : sessions_.open())
    if (!s->token_hash().empty()) by_token[s->token_hash()].push_back(std::move(s));
  std::size_t closed = 0;
  for (auto& [hash, sessions] : by_token) {
    const auto record = store_.token(hash);
    if (record && !record->revoked) continue;
    for (auto& s : sessions) s->close_revoked();
    closed += sessions.size();
  }
  return closed;
}

}  // namespace shelfsync::live
