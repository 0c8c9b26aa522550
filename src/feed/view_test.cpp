// The rule of what a reader gets of one change (feed/view.hpp judge).

#include "feed/view.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace shelfsync {
namespace {

namespace json = boost::json;

json::object product(const char* status) {
  return json::parse(std::string(R"({"title":"T","price":1,"status":")") + status + "\"}").as_object();
}

TEST(Judge, ShopperSeesADraftAsDeleteOnlyIfItHadTheRecord) {
  ReaderView view{{"t1", "USD", Role::public_, ""}, find_collection("products"), {}};
  const std::string id = "p1";
  const auto active = product("active"), draft = product("draft");
  EXPECT_EQ(judge(view, {id, false, &active, nullptr}), Delivery::upsert);
  EXPECT_EQ(judge(view, {id, false, &draft, &active}), Delivery::remove);
  EXPECT_EQ(judge(view, {id, false, &draft, &draft}), Delivery::skip);
  // The state before unknown: the roles that could ever see it decide.
  EXPECT_EQ(judge(view, {id, false, &draft, nullptr, kEveryRole}), Delivery::remove);
  const RoleSet back_office = role_bit(Role::admin) | role_bit(Role::staff) | role_bit(Role::service);
  EXPECT_EQ(judge(view, {id, false, &draft, nullptr, back_office}), Delivery::skip);
  // Created after the cursor and not visible: nothing to take back.
  EXPECT_EQ(judge(view, {id, false, &draft, nullptr, kEveryRole, true}), Delivery::skip);
  // A delete of a record the reader saw.
  EXPECT_EQ(judge(view, {id, true, &active, nullptr}), Delivery::remove);
}

TEST(Judge, CustomerIsNeverToldOfAnotherCustomersOrder) {
  ReaderView view{{"t1", "USD", Role::customer, "u1"}, find_collection("orders"), {}};
  const std::string id = "o1";
  const auto theirs = json::parse(R"({"customer_id":"u2","status":"placed"})").as_object();
  EXPECT_EQ(judge(view, {id, false, &theirs, nullptr}), Delivery::skip);
  EXPECT_EQ(judge(view, {id, true, &theirs, nullptr}), Delivery::skip);
}

TEST(Judge, AnIdsFilterAdmitsOnlyItsIds) {
  ReaderView view{{"t1", "USD", Role::admin, ""}, find_collection("products"), {}};
  view.filter.ids = std::set<std::string>{"p2"};
  const std::string id = "p1";
  const auto active = product("active");
  EXPECT_EQ(judge(view, {id, false, &active, nullptr}), Delivery::skip);
}

}  // namespace
}  // namespace shelfsync
