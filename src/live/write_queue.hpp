#pragma once
// The messages a live session has yet to write, oldest first; strand only.
// Unlike std::deque, which allocates a map and a 512-byte block when it is
// made and keeps the block once emptied, it holds no memory while empty:
// most live connections are idle, and an idle one must stay small.

#include <cstddef>
#include <utility>
#include <vector>

namespace shelfsync::live {

template <class T>
class WriteQueue {
 public:
  bool empty() const { return head_ == items_.size(); }
  T& front() { return items_[head_]; }

  void push_back(T item) { items_.push_back(std::move(item)); }
  // Appends a batch; an empty queue adopts its storage instead of allocating.
  void append(std::vector<T>&& batch) {
    if (empty()) {
      items_ = std::move(batch);
      head_ = 0;
      return;
    }
    for (auto& item : batch) items_.push_back(std::move(item));
  }

  void pop_front() {
    items_[head_++] = T{};
    if (empty()) return clear();
    // A queue that never empties (a steady slow reader) drops its written slots.
    if (head_ >= 64 && head_ * 2 >= items_.size()) {
      items_.erase(items_.begin(), items_.begin() + static_cast<std::ptrdiff_t>(head_));
      head_ = 0;
    }
  }

  // Empties the queue and gives its storage back.
  void clear() {
    std::vector<T>().swap(items_);
    head_ = 0;
  }

  template <class Fn>
  void for_each(Fn fn) const {
    for (std::size_t i = head_; i < items_.size(); ++i) fn(items_[i]);
  }

 private:
  std::vector<T> items_;
  std::size_t head_ = 0;  // items_ before it are written (and reset)
};

}  // namespace shelfsync::live
