#pragma once
// The callers a fuzz target speaks as: one of each role, a customer of
// either kind, all of one shop that has declared a publish topic, so
// topic names are found too.

#include <cstdint>

#include "auth/tokens.hpp"
#include "domain/topic_collection.hpp"

namespace shelfsync::fuzz {

inline constexpr const char* kShop = "shop_fuzz";
inline constexpr const char* kTopic = "warehouse.levels";

// A caller picked by `selector` (any byte).
inline Principal principal_of(std::uint8_t selector) {
  static const bool declared = [] {
    TopicRegistry::global().declare(kShop, kTopic, role_bit(Role::admin) | role_bit(Role::staff));
    return true;
  }();
  (void)declared;
  Principal who;
  who.tenant = kShop;
  who.currency = "EUR";
  who.role = kRoles[selector % kRoles.size()];
  if (who.role == Role::customer) {
    who.customer_id = "cust_fuzz";
    who.kind = (selector / kRoles.size()) % 2 ? CustomerKind::partner : CustomerKind::retail;
  }
  who.actor = "fuzz";
  return who;
}

}  // namespace shelfsync::fuzz
