#include "cli/demo_words.hpp"

namespace shelfsync::demo {

const std::vector<BrandSpec>& brand_specs() {
  static const std::vector<BrandSpec> kBrands = {
      {"fjordline", "Fjordline"},      {"northwind", "Northwind Co."},     {"hearth-loom", "Hearth & Loom"},
      {"stride-lab", "Stride Lab"},    {"lumen-home", "Lumen Home"},       {"copper-ash", "Copper & Ash"},
      {"voltwave", "Voltwave"},        {"brightpage", "Brightpage Press"}, {"tiny-tinker", "Tiny Tinker"},
      {"trailhead", "Trailhead Gear"}, {"greenthumb", "Greenthumb"},       {"velvet-bloom", "Velvet Bloom"},
      {"apex-motion", "Apex Motion"},  {"harvest-table", "Harvest Table"}, {"morning-ritual", "Morning Ritual"}};
  return kBrands;
}

const std::vector<ColorSpec>& colors() {
  static const std::vector<ColorSpec> kColors = {
      {"Navy", "NAV", "#1f2a44"},   {"Charcoal", "CHA", "#36454f"}, {"Oatmeal", "OAT", "#d8cbb3"},
      {"Forest", "FOR", "#2c5e3f"}, {"Burgundy", "BUR", "#7b1e3a"}, {"Black", "BLK", "#151515"},
      {"White", "WHT", "#f4f4f2"},  {"Sky", "SKY", "#7fb3d5"},      {"Rust", "RUS", "#b7472a"},
      {"Olive", "OLV", "#6b6b3a"},  {"Sand", "SND", "#c2b280"},     {"Grey", "GRY", "#8c8c8c"}};
  return kColors;
}

const std::vector<std::string_view> kApparelSizes = {"XS", "S", "M", "L", "XL", "XXL"};
const std::vector<std::string_view> kShoeSizes = {"36", "37", "38", "39", "40", "41", "42", "43", "44", "45", "46"};
const std::vector<std::string_view> kStores = {"Downtown Flagship", "Riverside Mall", "Harbour Street",
                                               "Airport Outlet"};
const std::vector<std::string_view> kClosers = {
    "Ships in recyclable packaging.", "Backed by our 30-day return promise.",
    "Every order is packed by hand in our own warehouse.", "Questions? Our team answers within a day."};
const std::vector<std::string_view> kFirstNames = {"Maya", "Jonas", "Elena", "Theo", "Amara", "Lukas",
                                                   "Ines", "Oscar", "Priya", "Hugo", "Nora",  "Felix"};
const std::vector<std::string_view> kLastNames = {"Lindqvist", "Okafor",  "Marchetti", "Haldane",
                                                  "Novak",     "Takeda",  "Moreau",    "Castellanos",
                                                  "Whitfield", "Adeyemi", "Kowalski",  "Brennan"};

}  // namespace shelfsync::demo
