#pragma once
// The catalog `shelfsync demo` loads into the tenant "demo": categories,
// brands, units and ~300 products as client-side create bodies (following
// docs/api.md), plus the SVG placeholder images they point to.
// Plain data, no I/O: the CLI writes `files` under the media root and POSTs
// the documents in order (categories are listed parents first).
//
// Every document carries a client-chosen id (cat_apparel, prod_demo_0001, ...)
// so references between them are known up front. Output depends only on
// (seed, now): the same pair always yields the same catalog.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "domain/time.hpp"

namespace shelfsync {

// Product image urls are kDemoMediaPrefix + a name from DemoCatalog::files.
inline constexpr std::string_view kDemoMediaPrefix = "/media/demo/";
inline constexpr int kDemoImageSize = 800;  // every placeholder is 800x800

struct DemoCatalog {
  std::vector<boost::json::object> categories;  // parents before children
  std::vector<boost::json::object> brands;
  std::vector<boost::json::object> units;
  std::vector<boost::json::object> products;
  // File name (no directory) -> SVG text, one per product image.
  std::vector<std::pair<std::string, std::string>> files;
};

// `now` anchors the sales: some run now, some start later, some have ended,
// and one starts and one ends a few minutes after `now` so the demo shows the
// server flipping them live.
DemoCatalog make_demo_catalog(std::uint32_t seed, Millis now);

}  // namespace shelfsync
