// A demo product's fulfillment, attributes and condition.

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "cli/demo_products.hpp"

namespace shelfsync::demo {

namespace json = boost::json;

namespace {

std::string isbn13(Rng& rng) {
  std::string digits = "978";
  for (int i = 0; i < 9; ++i) digits += static_cast<char>('0' + rng.range(0, 9));
  int sum = 0;
  for (int i = 0; i < 12; ++i) sum += (digits[i] - '0') * (i % 2 ? 3 : 1);
  digits += static_cast<char>('0' + (10 - sum % 10) % 10);
  return digits;
}

}  // namespace

json::object make_fulfillment(Rng& rng, std::int64_t price, int weight_g) {
  json::object f;
  const bool pickup = rng.percent(60);
  json::array locations;
  if (pickup) {
    std::vector<std::string_view> stores = kStores;
    rng.shuffle(stores);
    const int n = rng.range(1, 3);
    for (int i = 0; i < n; ++i) locations.emplace_back(stores[i]);
  }
  json::array shipping;
  // A few bulky or fragile items are pickup only.
  if (!pickup || !rng.percent(8)) {
    if (price >= 7500) {
      shipping.push_back(json::object{{"method", "Free standard"}, {"price", 0}, {"eta_days", 5}});
    } else {
      shipping.push_back(json::object{{"method", "Standard"}, {"price", 495}, {"eta_days", rng.range(3, 5)}});
    }
    if (weight_g > 15000) {
      shipping.push_back(json::object{{"method", "Freight"}, {"price", 4900}, {"eta_days", 7}});
    } else {
      shipping.push_back(json::object{{"method", "Express"}, {"price", 1295}, {"eta_days", 1}});
    }
    if (rng.percent(20))
      shipping.push_back(json::object{{"method", "Same-day courier"}, {"price", 995}, {"eta_days", 0}});
  }
  f["pickup"] = pickup;
  f["pickup_locations"] = std::move(locations);
  f["shipping"] = std::move(shipping);
  return f;
}

json::object make_attributes(Rng& rng, const ProductContext& ctx, std::string_view condition, int weight_g) {
  const Combo& c = ctx.combo;
  json::object a;
  const std::string_view material = !c.qualifier->material.empty() ? c.qualifier->material : c.family->material;
  if (!material.empty()) a["material"] = material;
  a["weight_g"] = weight_g;
  a["origin"] = !c.qualifier->origin.empty() ? c.qualifier->origin : rng.pick(ctx.cat.origins);
  const std::string_view key = ctx.cat.key;
  if (key == "apparel") {
    a["care"] = rng.pick(std::vector<std::string_view>{"Machine wash cold", "Hand wash", "Dry clean only"});
    a["fit"] = rng.pick(std::vector<std::string_view>{"regular", "slim", "relaxed"});
  } else if (key == "electronics") {
    a["warranty_months"] = condition == "new" ? 24 : 12;
    if (c.family->noun.find("Head") != std::string_view::npos ||
        c.family->noun.find("Speaker") != std::string_view::npos ||
        c.family->noun.find("Earbuds") != std::string_view::npos)
      a["battery_hours"] = rng.range(6, 40);
  } else if (key == "books" && c.family->noun != "Journal") {
    a["author"] = std::string(rng.pick(kFirstNames)) + " " + std::string(rng.pick(kLastNames));
    a["pages"] = rng.range(140, 520);
    a["isbn"] = isbn13(rng);
    a["language"] = "English";
  } else if (key == "toys") {
    const std::string_view noun = c.family->noun;
    a["age_min"] = noun == "Jigsaw Puzzle" ? 10 : noun == "Board Game" ? 8 : noun == "Kite" ? 6 : 3;
  } else if (key == "grocery") {
    a["organic"] = rng.percent(40);
    a["vegan"] = c.family->noun != "Raw Honey";
  } else if (key == "beauty") {
    a["vegan"] = true;
    a["cruelty_free"] = true;
  }
  return a;
}

std::string_view pick_condition(Rng& rng, std::string_view cat) {
  const int r = rng.range(0, 99);
  if (cat == "electronics") return r < 18 ? "refurbished" : r < 24 ? "like_new" : r < 26 ? "for_parts" : "new";
  if (cat == "books") return r < 12 ? "like_new" : r < 22 ? "good" : r < 25 ? "fair" : "new";
  if (cat == "outdoor" || cat == "sports") return r < 6 ? "good" : r < 9 ? "like_new" : "new";
  return "new";
}

}  // namespace shelfsync::demo
