#include "store/postgres/leases.hpp"

#include <iostream>

namespace shelfsync::pg {

bool Leases::holds(const std::string& duty) {
  MutexLock lock(&mu_);
  auto& state = duties_[duty];
  const auto now = std::chrono::steady_clock::now();
  if (now - state.checked < kRecheck) return state.held;
  state.checked = now;
  try {
    if (!db_ || !db_->ok()) {
      db_.reset();
      for (auto& [name, s] : duties_) s.held = false;  // they went with the old connection
      db_ = std::make_unique<Connection>(url_);
    }
    if (state.held)
      db_->exec("SELECT 1");  // still connected: still held
    else
      state.held = db_->run("SELECT pg_try_advisory_lock(hashtext($1))", "shelfsync lease " + duty).boolean(0, 0);
  } catch (const std::exception& e) {
    std::cerr << "store: lease " << duty << ": " << e.what() << "\n";
    db_.reset();
    for (auto& [name, s] : duties_) s.held = false;
  }
  return state.held;
}

}  // namespace shelfsync::pg
