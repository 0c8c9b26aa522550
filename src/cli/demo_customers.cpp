// The demo shop's customers: shoppers, and a few businesses that resell its
// goods (kind partner). Fixed ids, so a second `shelfsync demo` finds them.

#include <array>
#include <string>

#include "cli/demo_history.hpp"

namespace shelfsync {
namespace {

struct DemoCustomer {
  const char* name;
  const char* email;
  bool partner;
};

constexpr std::array<DemoCustomer, 12> kCustomers = {{
    {"Amelia Hart", "amelia.hart@example.com", false},
    {"Noah Bennett", "noah.bennett@example.com", false},
    {"Sofia Alvarez", "sofia.alvarez@example.com", false},
    {"Liam O'Connor", "liam.oconnor@example.com", false},
    {"Maya Patel", "maya.patel@example.com", false},
    {"Ethan Brooks", "ethan.brooks@example.com", false},
    {"Chloe Nakamura", "chloe.nakamura@example.com", false},
    {"Lucas Fischer", "lucas.fischer@example.com", false},
    {"Zoe Laurent", "zoe.laurent@example.com", false},
    {"Harbor & Pine Outfitters", "orders@harborandpine.example.com", true},
    {"Northside Home Goods", "purchasing@northsidehome.example.com", true},
    {"Trailhead Supply Co.", "buying@trailheadsupply.example.com", true},
}};

}  // namespace

std::vector<boost::json::object> demo_customers() {
  std::vector<boost::json::object> out;
  for (std::size_t i = 0; i < kCustomers.size(); ++i) {
    const auto& c = kCustomers[i];
    std::string id = "cust_demo_" + std::string(i < 9 ? "0" : "") + std::to_string(i + 1);
    out.push_back(
        {{"id", std::move(id)}, {"name", c.name}, {"email", c.email}, {"kind", c.partner ? "partner" : "retail"}});
  }
  return out;
}

}  // namespace shelfsync
