#include "http/router.hpp"

#include <gtest/gtest.h>

namespace shelfsync {
namespace {

Response answer(std::string body) {
  Response r;
  r.body = std::move(body);
  return r;
}

TEST(Router, TailSegmentTakesTheRestOfThePath) {
  Router router;
  router.add("GET", "/assets/{*}", [](Request& r) { return answer("tail:" + r.params.back()); });
  router.add("GET", "/assets/exact", [](Request&) { return answer("exact"); });

  Request req{"GET", "/assets/admin/main.js", {}, {}, {}, {}};
  EXPECT_EQ(router.dispatch(req).body, "tail:admin/main.js");
  req.path = "/assets/exact";
  EXPECT_EQ(router.dispatch(req).body, "exact");  // exact routes win
  req.path = "/assets/one";
  EXPECT_EQ(router.dispatch(req).body, "tail:one");
  req.path = "/assets";
  EXPECT_EQ(router.dispatch(req).status, 404);  // the tail needs a segment
  req.method = "POST";
  req.path = "/assets/x";
  EXPECT_EQ(router.dispatch(req).status, 405);
}

}  // namespace
}  // namespace shelfsync
