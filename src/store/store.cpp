#include "store/store.hpp"

#include <future>

namespace shelfsync {

std::optional<Problem> Store::write(WriteFn fn) {
  std::promise<std::optional<Problem>> done;
  auto result = done.get_future();
  write_async(std::move(fn), [&done](std::optional<Problem> problem) { done.set_value(std::move(problem)); });
  return result.get();
}

}  // namespace shelfsync
