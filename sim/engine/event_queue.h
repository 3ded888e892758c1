// Discrete-event queue with deterministic tie-breaking: events are ordered by time, then by an
// explicit priority (lower first), then by insertion order. Times are integer nanoseconds, so
// step timelines accumulate no floating-point drift and ties are exact.
#pragma once
#include <cstdint>
#include <queue>
#include <vector>

#include "core/sim_time.h"

namespace dctwin {

template <class Payload>
class EventQueue {
 public:
  struct Item {
    SimTime time;
    int priority;
    std::uint64_t seq;
    Payload payload;
  };

  void push(SimTime time, int priority, Payload payload) {
    heap_.push(Item{time, priority, next_seq_++, std::move(payload)});
  }
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  const Item& top() const { return heap_.top(); }
  // Every pending item (in pop order) and the next insertion number: a checkpoint of the queue.
  std::vector<Item> items() const {
    auto copy = heap_;
    std::vector<Item> out;
    for (; !copy.empty(); copy.pop()) out.push_back(copy.top());
    return out;
  }
  std::uint64_t next_seq() const { return next_seq_; }
  void restore(const std::vector<Item>& items, std::uint64_t next_seq) {
    heap_ = {};
    for (const auto& it : items) heap_.push(it);
    next_seq_ = next_seq;
  }
  Item pop() {
    Item it = heap_.top();
    heap_.pop();
    return it;
  }

 private:
  struct Later {
    bool operator()(const Item& a, const Item& b) const {
      if (a.time != b.time) return a.time > b.time;
      if (a.priority != b.priority) return a.priority > b.priority;
      return a.seq > b.seq;
    }
  };
  std::priority_queue<Item, std::vector<Item>, Later> heap_;
  std::uint64_t next_seq_ = 0;
};

}  // namespace dctwin
