#pragma once
// The open live sessions of a server, so a graceful stop can close them with
// a reconnect hint instead of waiting for them, and a revoked token's
// sessions can be found and closed. Thread-safe.

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "util/mutex.hpp"

namespace shelfsync::live {

class LiveSession {
 public:
  virtual ~LiveSession() = default;
  // Any thread: say goodbye (WebSocket close 1012, SSE `reconnect`) and close.
  virtual void close_for_restart() = 0;
  // The hash of the token the session was opened with.
  virtual const std::string& token_hash() const = 0;
  // Any thread: the token was revoked. Send an `error` with code
  // token_revoked and close (WebSocket 1008, SSE end of stream).
  virtual void close_revoked() = 0;
};

class Registry {
 public:
  void add(const std::shared_ptr<LiveSession>& s) EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    sessions_[s.get()] = s;
  }
  void remove(const LiveSession* s) EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    sessions_.erase(s);
  }
  std::size_t size() const EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    return sessions_.size();
  }
  void close_all() EXCLUDES(mu_) {
    for (auto& s : open()) s->close_for_restart();  // not under the lock
  }
  std::vector<std::shared_ptr<LiveSession>> open() const EXCLUDES(mu_) {
    std::vector<std::shared_ptr<LiveSession>> out;
    MutexLock lock(&mu_);
    out.reserve(sessions_.size());
    for (auto& [p, w] : sessions_)
      if (auto s = w.lock()) out.push_back(std::move(s));
    return out;
  }

 private:
  mutable Mutex mu_;
  std::unordered_map<const LiveSession*, std::weak_ptr<LiveSession>> sessions_ GUARDED_BY(mu_);
};

}  // namespace shelfsync::live
