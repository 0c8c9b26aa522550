#include "cli/demo_catalog.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <cstdio>
#include <stdexcept>

namespace shelfsync {
namespace {

namespace json = boost::json;

// ---- deterministic randomness ----

// SplitMix64 with our own range/shuffle: std:: distributions differ between
// standard libraries, and the catalog must be the same everywhere for a seed.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  int range(int lo, int hi) {  // inclusive
    return lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool percent(int p) { return range(0, 99) < p; }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[next() % v.size()];
  }
  template <class T>
  void shuffle(std::vector<T>& v) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[next() % i]);
  }

 private:
  std::uint64_t state_;
};

// ---- the shop's vocabulary ----

struct Qualifier {
  std::string_view text;
  std::string_view material = {};  // overrides the family's
  std::string_view origin = {};    // overrides the category's
};

struct Family {
  std::string_view noun;
  std::vector<Qualifier> qualifiers;
  std::vector<std::string_view> sizes;  // title suffixes, "" for none
  int min_price, max_price;             // cents
  int min_weight_g, max_weight_g;
  std::string_view material = {};
  std::string_view unit = "pcs";
  bool noun_first = false;  // "Field Guide to Birds", not "Birds Field Guide"
};

enum class VariantKind { single, apparel, shoes };
enum class Icon {
  shirt,
  shoe,
  lamp,
  pan,
  headphones,
  books,
  blocks,
  tent,
  plant,
  bottle,
  ball,
  bag
};

struct CategorySpec {
  std::string_view key, name, sku_prefix, parent;  // parent: key or ""
  int quota;                                       // products in this category
  VariantKind variants;
  Icon icon;
  std::string_view color_a, color_b;  // background gradient
  std::vector<std::string_view> brands, tags, openers, features, origins;
  std::vector<Family> families;
};

struct BrandSpec {
  std::string_view key, name;
};

struct ColorSpec {
  std::string_view name, code, hex;
};

const std::vector<BrandSpec>& brand_specs() {
  static const std::vector<BrandSpec> v = {{"fjordline", "Fjordline"},
                                           {"northwind", "Northwind Co."},
                                           {"hearth-loom", "Hearth & Loom"},
                                           {"stride-lab", "Stride Lab"},
                                           {"lumen-home", "Lumen Home"},
                                           {"copper-ash", "Copper & Ash"},
                                           {"voltwave", "Voltwave"},
                                           {"brightpage", "Brightpage Press"},
                                           {"tiny-tinker", "Tiny Tinker"},
                                           {"trailhead", "Trailhead Gear"},
                                           {"greenthumb", "Greenthumb"},
                                           {"velvet-bloom", "Velvet Bloom"},
                                           {"apex-motion", "Apex Motion"},
                                           {"harvest-table", "Harvest Table"},
                                           {"morning-ritual", "Morning Ritual"}};
  return v;
}

const std::vector<ColorSpec>& colors() {
  static const std::vector<ColorSpec> v = {
      {"Navy", "NAV", "#1f2a44"},   {"Charcoal", "CHA", "#36454f"}, {"Oatmeal", "OAT", "#d8cbb3"},
      {"Forest", "FOR", "#2c5e3f"}, {"Burgundy", "BUR", "#7b1e3a"}, {"Black", "BLK", "#151515"},
      {"White", "WHT", "#f4f4f2"},  {"Sky", "SKY", "#7fb3d5"},      {"Rust", "RUS", "#b7472a"},
      {"Olive", "OLV", "#6b6b3a"},  {"Sand", "SND", "#c2b280"},     {"Grey", "GRY", "#8c8c8c"}};
  return v;
}

const std::vector<std::string_view> kApparelSizes = {"XS", "S", "M", "L", "XL", "XXL"};
const std::vector<std::string_view> kShoeSizes = {"36", "37", "38", "39", "40", "41",
                                                  "42", "43", "44", "45", "46"};
const std::vector<std::string_view> kStores = {"Downtown Flagship", "Riverside Mall",
                                               "Harbour Street", "Airport Outlet"};
const std::vector<std::string_view> kClosers = {
    "Ships in recyclable packaging.", "Backed by our 30-day return promise.",
    "Every order is packed by hand in our own warehouse.",
    "Questions? Our team answers within a day."};
const std::vector<std::string_view> kFirstNames = {"Maya",  "Jonas", "Elena", "Theo",
                                                   "Amara", "Lukas", "Ines",  "Oscar",
                                                   "Priya", "Hugo",  "Nora",  "Felix"};
const std::vector<std::string_view> kLastNames = {
    "Lindqvist", "Okafor",      "Marchetti", "Haldane", "Novak",    "Takeda",
    "Moreau",    "Castellanos", "Whitfield", "Adeyemi", "Kowalski", "Brennan"};

// clang-format off
const std::vector<CategorySpec>& category_specs() {
  static const std::vector<CategorySpec> v = {
    {"apparel", "Apparel", "APP", "", 34, VariantKind::apparel, Icon::shirt, "#ff758c", "#ff7eb3",
     {"fjordline", "northwind", "hearth-loom"},
     {"everyday", "layering", "wardrobe-staple", "casual"},
     {"An everyday {item} you will reach for again and again.",
      "Our {item} is cut for comfort and made to last for years.",
      "A wardrobe classic: the {item}, done properly."},
     {"Pre-washed, so it keeps its shape and size.", "Reinforced seams at every stress point.",
      "Cut a little longer in the body for easy layering.",
      "Garment-dyed for a soft, lived-in colour.",
      "Designed in our studio and made in a family-run mill.", "Machine washable at 30 degrees."},
     {"Portugal", "Italy", "Scotland", "Peru", "Turkey"},
     {{"Crew Sweater", {{"Merino Wool", "merino wool"}, {"Lambswool", "lambswool"},
                        {"Cashmere Blend", "cashmere and wool"},
                        {"Organic Cotton", "organic cotton"}},
       {""}, 5900, 14900, 300, 520, "wool"},
      {"Oxford Shirt", {{"Organic Cotton", "organic cotton"}, {"Brushed Cotton", "brushed cotton"},
                        {"Slim Fit"}, {"Relaxed Fit"}}, {""}, 3900, 8900, 220, 320, "cotton"},
      {"T-Shirt", {{"Heavyweight Cotton"}, {"Pima Cotton", "pima cotton"},
                   {"Slub Jersey", "cotton slub jersey"}, {"Recycled Cotton", "recycled cotton"}},
       {"", "2-Pack"}, 1500, 3900, 160, 260, "cotton"},
      {"Hoodie", {{"Fleece", "cotton fleece"}, {"French Terry", "French terry cotton"}, {"Zip-Up"},
                  {"Oversized"}}, {""}, 4900, 8900, 450, 700, "cotton blend"},
      {"Puffer Vest", {{"Recycled Down", "recycled down"}, {"Lightweight"}, {"Quilted"},
                       {"Cropped"}}, {""}, 6900, 13900, 280, 450, "recycled nylon"},
      {"Rain Jacket", {{"Packable"}, {"Waterproof"}, {"Lightweight"}, {"Insulated"}}, {""}, 7900,
       19900, 300, 900, "recycled nylon"},
      {"Cardigan", {{"Merino Wool", "merino wool"}, {"Chunky Knit", "wool blend"},
                    {"Cotton Blend", "cotton blend"}}, {""}, 5900, 12900, 350, 650, "wool"},
      {"Denim Jacket", {{"Classic"}, {"Washed"}, {"Sherpa-Lined", "denim, sherpa fleece"}}, {""},
       6900, 12900, 700, 1100, "cotton denim"},
      {"Linen Shirt", {{"Short-Sleeve"}, {"Long-Sleeve"}, {"Camp Collar"}}, {""}, 4500, 8500, 180,
       260, "European linen"},
      {"Wool Coat", {{"Tailored"}, {"Longline"}, {"Double-Breasted"}}, {""}, 14900, 29900, 1200,
       1900, "recycled wool"}}},
    {"shoes", "Shoes", "SHO", "apparel", 24, VariantKind::shoes, Icon::shoe, "#43cea2", "#185a9d",
     {"stride-lab", "fjordline"},
     {"footwear", "comfort", "everyday", "walking"},
     {"A pair of {item} built for long days on your feet.",
      "Our {item} combine a clean look with all-day comfort.",
      "Step out in {item} made to be worn, resoled and worn again."},
     {"Removable cushioned insole.", "Grippy rubber outsole for wet pavements.",
      "Breaks in within a week, then fits like a glove.", "Stitched, not just glued.",
      "True to size; between sizes, go up.", "Comes with a spare pair of laces."},
     {"Portugal", "Italy", "Spain", "Vietnam"},
     {{"Running Shoes", {{"Lightweight"}, {"Trail"}, {"Cushioned"}, {"Road"}}, {""}, 7900, 15900,
       500, 700, "engineered mesh, rubber sole"},
      {"Leather Sneakers", {{"Classic"}, {"Low-Top"}, {"High-Top"}, {"Minimal"}}, {""}, 6900, 13900,
       700, 950, "full-grain leather"},
      {"Chelsea Boots", {{"Suede", "suede"}, {"Leather"}, {"Waterproof"}}, {""}, 9900, 19900, 900,
       1300, "leather"},
      {"Canvas Trainers", {{"Organic", "organic cotton canvas"}, {"Slip-On"}, {"Retro"}}, {""},
       3900, 6900, 450, 650, "cotton canvas"},
      {"Hiking Boots", {{"Waterproof"}, {"Mid-Cut"}, {"Lightweight"},
                        {"Leather", "nubuck leather"}}, {""}, 10900, 21900, 1000, 1500,
       "suede and mesh"},
      {"Sandals", {{"Cork Footbed"}, {"Sport"}, {"Leather Slide", "leather"}}, {""}, 2900, 6900,
       300, 600, "cork, rubber"},
      {"Loafers", {{"Penny"}, {"Suede", "suede"}, {"Tassel"}}, {""}, 8900, 15900, 700, 900,
       "leather"},
      {"Slippers", {{"Felted"}, {"Shearling-Lined", "sheepskin"}}, {""}, 2900, 5900, 250, 400,
       "felted wool"}}},
    {"home", "Home & Living", "HOM", "", 26, VariantKind::single, Icon::lamp, "#a18cd1", "#fbc2eb",
     {"hearth-loom", "lumen-home"},
     {"interior", "cosy", "decor", "living-room"},
     {"Meet our {item}, the finishing touch a room needs.",
      "Quietly beautiful, our {item} brings warmth to any space.",
      "The {item} we keep in our own homes."},
     {"Each piece is finished by hand, so no two are quite alike.",
      "Pairs well with natural wood and warm light.", "Designed to last for decades, not seasons.",
      "Made in small batches in a family workshop.", "Arrives ready to use, no assembly needed.",
      "Wipe clean with a soft, damp cloth."},
     {"Portugal", "India", "Lithuania", "Denmark"},
     {{"Table Lamp", {{"Ceramic", "ceramic"}, {"Brass", "brushed brass"},
                      {"Rattan", "natural rattan"}, {"Concrete", "concrete"}}, {""}, 3900, 12900,
       1200, 3500},
      {"Throw Blanket", {{"Wool", "wool"}, {"Waffle Knit", "cotton"},
                         {"Chunky Knit", "merino wool"}, {"Linen", "linen"}},
       {"130 x 170 cm"}, 3900, 9900, 700, 1600},
      {"Cushion Cover", {{"Linen", "linen"}, {"Velvet", "cotton velvet"}, {"Boucle", "boucle"}},
       {"45 x 45 cm", "50 x 50 cm"}, 1500, 3900, 120, 250},
      {"Scented Candle", {{"Cedarwood"}, {"Fig & Vetiver"}, {"Sea Salt & Sage"}, {"Amber"}},
       {"200 g", "400 g"}, 1900, 4900, 300, 700, "soy wax"},
      {"Wall Mirror", {{"Round"}, {"Arched"}, {"Oak Frame", "oak, glass"}}, {"60 cm", "80 cm"},
       5900, 18900, 4000, 9000, "glass, steel frame"},
      {"Linen Fabric", {{"Natural"}, {"Stonewashed"}, {"Heavyweight"}}, {"by the Metre"}, 1200,
       2900, 180, 300, "linen", "m"}}},
    {"kitchen", "Kitchen", "KIT", "home", 26, VariantKind::single, Icon::pan, "#f7797d", "#fbd786",
     {"copper-ash", "lumen-home"},
     {"cookware", "chef", "baking", "kitchen-essentials"},
     {"A {item} that earns its place on the stove.",
      "The {item} professional cooks reach for first.",
      "Buy this {item} once and hand it down."},
     {"Works on gas, electric, induction and in the oven.", "Heats evenly with no hot spots.",
      "Dishwasher safe, though it lasts longer washed by hand.",
      "Balanced weight for easy everyday handling.",
      "Comes with a care guide and lifetime warranty.",
      "Tested in restaurant kitchens before it reached ours."},
     {"Japan", "France", "Germany", "USA"},
     {{"Skillet", {{"Cast Iron", "cast iron"}, {"Carbon Steel", "carbon steel"},
                   {"Stainless Steel", "stainless steel"},
                   {"Ceramic Nonstick", "aluminium, ceramic coating"}},
       {"20 cm", "24 cm", "26 cm", "28 cm"}, 2900, 8900, 900, 3200},
      {"Dutch Oven", {{"Enameled Cast Iron", "enameled cast iron"}, {"Cast Iron", "cast iron"}},
       {"3.8 l", "5.2 l"}, 7900, 24900, 4000, 6500},
      {"Chef's Knife", {{"Damascus Steel", "damascus steel", "Japan"},
                        {"High-Carbon", "high-carbon stainless steel"}}, {"18 cm", "20 cm"}, 4900,
       15900, 170, 260},
      {"Cutting Board", {{"End-Grain Walnut", "walnut"}, {"Olive Wood", "olive wood"},
                         {"Bamboo", "bamboo"}, {"Maple", "maple"}}, {"30 x 20 cm", "40 x 30 cm"},
       2500, 8900, 900, 2600},
      {"Pour-Over Coffee Maker", {{"Glass", "borosilicate glass"}, {"Ceramic", "porcelain"},
                                  {"Stainless Steel", "stainless steel"}}, {""}, 2500, 5900, 300,
       700},
      {"Mixing Bowl Set", {{"Stainless Steel", "stainless steel"}, {"Stoneware", "stoneware"},
                           {"Glass", "tempered glass"}}, {"3-Piece", "5-Piece"}, 2900, 6900, 900,
       3000}}},
    {"electronics", "Electronics", "ELE", "", 28, VariantKind::single, Icon::headphones, "#1e3c72",
     "#2a5298",
     {"voltwave"},
     {"tech", "gadgets", "work-from-home", "travel"},
     {"Meet the {item} that simply works, every time.",
      "Designed around the way you actually work: the {item}.",
      "Our best {item} yet, tuned over two years of testing."},
     {"USB-C charging, cable included.", "Firmware updates add features over time.",
      "Pairs with two devices at once.", "Recycled aluminium and plastics throughout.",
      "Compact enough for any bag.", "Two-year warranty and a replaceable battery."},
     {"China", "Taiwan", "Vietnam", "Malaysia"},
     {{"Wireless Headphones", {{"Noise-Cancelling"}, {"Over-Ear"}, {"On-Ear"}, {"Studio"}}, {""},
       7900, 34900, 220, 330, "aluminium, protein leather"},
      {"Bluetooth Speaker", {{"Portable"}, {"Waterproof"}, {"Mini"}, {"Smart"}}, {""}, 2900, 19900,
       250, 1800, "recycled fabric, aluminium"},
      {"USB-C Charger", {{"65 W GaN"}, {"30 W"}, {"100 W Dual-Port"}}, {""}, 1900, 6900, 60, 220,
       "polycarbonate"},
      {"Mechanical Keyboard", {{"Compact"}, {"Wireless"}, {"Low-Profile"}, {"Tenkeyless"}}, {""},
       6900, 18900, 600, 1100, "aluminium, PBT keycaps"},
      {"Smartwatch", {{"Fitness"}, {"Classic"}, {"Sport"}}, {"40 mm", "44 mm"}, 9900, 39900, 35,
       60, "aluminium, silicone strap"},
      {"E-Reader", {{"6-inch"}, {"7-inch Waterproof"}}, {""}, 9900, 24900, 170, 230,
       "recycled plastic"},
      {"Power Bank", {{"10000 mAh"}, {"20000 mAh"}, {"Slim 5000 mAh"}}, {""}, 1900, 5900, 120, 420,
       "aluminium"},
      {"Webcam", {{"1080p"}, {"4K"}, {"Wide-Angle"}}, {""}, 3900, 17900, 80, 200, "plastic, glass"},
      {"Wireless Earbuds", {{"True"}, {"Sport"}, {"Noise-Cancelling"}}, {""}, 4900, 24900, 40, 70,
       "plastic"}}},
    {"books", "Books", "BOO", "", 24, VariantKind::single, Icon::books, "#b79891", "#94716b",
     {"brightpage"},
     {"reading", "book-club", "gift", "staff-pick"},
     {"A {item} our booksellers keep pressing into customers' hands.",
      "This {item} is the one everyone is talking about.",
      "A {item} to read slowly and keep on the shelf."},
     {"Printed on FSC-certified paper.", "Includes a ribbon marker.",
      "Signed bookplate while stocks last.", "Shortlisted for three prizes this year.",
      "Beautifully typeset, with illustrated endpapers.", "A perfect gift for curious readers."},
     {"United Kingdom", "Germany", "USA"},
     {{"The", {{"Lantern Keeper"}, {"Salt Orchard"}, {"Glass Cartographer"}, {"Last Ferry North"},
               {"Winter Apiary"}, {"Paper Lighthouse"}, {"Orchard at Dusk"},
               {"Clockmaker's Daughter"}},
       {"(Paperback)", "(Hardcover)"}, 1299, 2999, 250, 700, {}, "pcs", true},
      {"Cookbook", {{"Weeknight Vegetarian"}, {"Mediterranean"}, {"Sourdough Baking"}, {"One-Pot"}},
       {""}, 1999, 3999, 800, 1400},
      {"Field Guide to", {{"Birds"}, {"Mushrooms"}, {"the Night Sky"}, {"Wildflowers"}}, {""}, 1599,
       2999, 300, 600, {}, "pcs", true},
      {"A Beginner's Guide to", {{"Watercolour"}, {"Houseplants"}, {"Woodworking"}, {"Chess"}},
       {""}, 1599, 3499, 300, 700, {}, "pcs", true},
      {"Journal", {{"Dot Grid"}, {"Linen-Bound"}, {"Pocket"}}, {"A5", "A6"}, 999, 2499, 150, 400,
       "paper, linen cover"}}},
    {"toys", "Toys & Games", "TOY", "", 22, VariantKind::single, Icon::blocks, "#f7971e", "#ffd200",
     {"tiny-tinker", "brightpage"},
     {"kids", "family", "educational", "gift"},
     {"Meet our {item}, made to keep little hands busy and minds curious.",
      "Any afternoon becomes an adventure with our {item}.",
      "The {item} children come back to year after year."},
     {"Safety-tested to EN 71.", "Non-toxic, water-based paints.",
      "Arrives in a sturdy box for easy tidying up.", "Encourages open-ended, screen-free play.",
      "Designed with teachers and occupational therapists.", "Replacement parts available."},
     {"Germany", "Denmark", "Poland"},
     {{"Building Blocks", {{"Wooden", "beech wood"}, {"Magnetic", "ABS plastic, magnets"},
                           {"Rainbow", "painted beech wood"}}, {"50-Piece", "100-Piece"}, 2500,
       7900, 800, 2500},
      {"Jigsaw Puzzle", {{"Mountain Lake"}, {"City at Night"}, {"World Map"}, {"Botanical"}},
       {"500 Pieces", "1000 Pieces"}, 1499, 2999, 400, 900, "recycled cardboard"},
      {"Plush Bear", {{"Classic"}, {"Organic Cotton", "organic cotton"}, {"Giant"}}, {""}, 1999,
       8900, 200, 1500, "polyester plush"},
      {"Board Game", {{"Family Strategy"}, {"Cooperative"}, {"Word"}, {"Trivia"}}, {""}, 1999, 5900,
       600, 1800, "cardboard, wood"},
      {"Wooden Train Set", {{"Starter"}, {"Deluxe"}}, {""}, 3900, 11900, 1500, 4000, "beech wood"},
      {"Kite", {{"Rainbow Delta"}, {"Stunt"}, {"Dragon"}}, {""}, 1999, 6900, 150, 450,
       "ripstop nylon"}}},
    {"outdoor", "Outdoor", "OUT", "", 24, VariantKind::single, Icon::tent, "#134e5e", "#71b280",
     {"trailhead", "northwind"},
     {"camping", "hiking", "adventure", "travel"},
     {"A {item} that has been further than most of us.",
      "Pack this {item} and forget about it until you need it.",
      "Our {item} is field-tested from fjords to deserts."},
     {"Weatherproof and built for rough handling.", "Packs down small and light.",
      "Repair kit included.", "Tested in the field by our guides.",
      "PFC-free water repellent finish.", "Lifetime repairs at any of our stores."},
     {"Vietnam", "Norway", "USA", "China"},
     {{"Tent", {{"2-Person Backpacking"}, {"4-Person Dome"}, {"Ultralight Solo"}}, {""}, 14900,
       44900, 900, 4500, "ripstop nylon"},
      {"Sleeping Bag", {{"Down", "duck down"}, {"Synthetic", "recycled polyester"},
                        {"Three-Season"}}, {""}, 7900, 29900, 700, 1600, "recycled polyester"},
      {"Camping Stove", {{"Compact Gas"}, {"Folding"}, {"Titanium", "titanium"}}, {""}, 2900, 9900,
       80, 600, "aluminium"},
      {"Insulated Bottle", {{"Stainless Steel"}, {"Wide-Mouth"}}, {"500 ml", "750 ml", "1 l"}, 1999,
       4499, 300, 550, "stainless steel"},
      {"Headlamp", {{"Rechargeable"}, {"400 Lumen"}, {"Waterproof"}}, {""}, 1999, 6900, 60, 120,
       "aluminium"},
      {"Daypack", {{"Trail"}, {"Roll-Top"}, {"Lightweight"}}, {"20 l", "28 l"}, 4900, 12900, 400,
       1100, "recycled nylon"},
      {"Camp Chair", {{"Folding"}, {"Ultralight"}, {"Rocking"}}, {""}, 3900, 14900, 900, 4500,
       "aluminium, polyester"}}},
    {"garden", "Garden", "GAR", "home", 20, VariantKind::single, Icon::plant, "#56ab2f", "#a8e063",
     {"greenthumb"},
     {"gardening", "plants", "outdoor-living", "spring"},
     {"Meet our {item}, made for gardeners who like their tools to last.",
      "Weekend jobs get quicker and results better with our {item}.",
      "The {item} our own allotment team swears by."},
     {"Frost-proof and UV-stable.", "Replacement parts available for years.",
      "Made without peat or single-use plastic.", "Recommended by our head gardener.",
      "Easy to clean and store over winter.", "Suitable for balconies and small gardens."},
     {"Germany", "Netherlands", "United Kingdom"},
     {{"Pruning Shears", {{"Bypass"}, {"Anvil"}, {"Ratchet"}}, {""}, 1999, 5900, 200, 300,
       "hardened steel"},
      {"Garden Hose", {{"Expandable"}, {"Reinforced"}, {"Flat"}}, {"15 m", "25 m"}, 2499, 7900, 900,
       3500, "PVC"},
      {"Drip Irrigation Tubing", {{"16 mm"}, {"Pressure-Compensating"}}, {""}, 150, 390, 80, 120,
       "polyethylene", "m"},
      {"Planter", {{"Terracotta", "terracotta"}, {"Glazed Ceramic", "glazed ceramic"},
                   {"Self-Watering", "recycled plastic"}, {"Concrete", "concrete"}},
       {"20 cm", "30 cm", "40 cm"}, 1499, 8900, 600, 9000},
      {"Seed Collection", {{"Heirloom Tomato"}, {"Wildflower"}, {"Herb Garden"}, {"Salad Leaf"}},
       {""}, 799, 1999, 30, 90},
      {"Compost", {{"Peat-Free"}, {"Organic"}}, {""}, 90, 250, 1000, 1000, {}, "kg"},
      {"Watering Can", {{"Galvanised Steel", "galvanised steel"},
                        {"Recycled Plastic", "recycled plastic"}}, {"5 l", "9 l"}, 1999, 5900, 500,
       1800}}},
    {"beauty", "Beauty", "BEA", "", 22, VariantKind::single, Icon::bottle, "#ffafbd", "#ffc3a0",
     {"velvet-bloom"},
     {"skincare", "self-care", "natural", "gift"},
     {"A {item} that turns a routine into a ritual.",
      "Our bestselling {item}, now in a refillable bottle.",
      "A gentle {item} for every skin type."},
     {"Vegan and never tested on animals.", "Free from parabens and synthetic fragrance.",
      "Dermatologically tested.", "In a recyclable glass bottle.",
      "Made with botanical oils and extracts.", "A little goes a long way."},
     {"France", "South Korea", "Italy"},
     {{"Face Cream", {{"Hydrating"}, {"Night"}, {"Vitamin C"}, {"Barrier Repair"}}, {"50 ml"}, 1999,
       5900, 90, 160},
      {"Shampoo", {{"Clarifying"}, {"Argan Oil"}, {"Volumising"}, {"Sulfate-Free"}},
       {"250 ml", "500 ml"}, 999, 2999, 280, 560},
      {"Lip Balm", {{"Beeswax"}, {"Tinted"}, {"SPF 15"}}, {""}, 499, 1299, 15, 30},
      {"Eau de Parfum", {{"Neroli"}, {"Oud & Rose"}, {"Vetiver"}, {"White Tea"}},
       {"30 ml", "50 ml"}, 3900, 11900, 150, 350},
      {"Body Oil", {{"Dry"}, {"Almond"}, {"Rosehip"}}, {"100 ml"}, 1999, 4900, 180, 260},
      {"Hand Soap", {{"Lavender"}, {"Citrus"}, {"Unscented"}}, {"300 ml"}, 799, 1999, 330, 400}}},
    {"sports", "Sports", "SPO", "", 24, VariantKind::single, Icon::ball, "#ff512f", "#dd2476",
     {"apex-motion", "stride-lab"},
     {"fitness", "training", "home-gym", "team-sports"},
     {"Meet our {item}, built to keep up with your training.",
      "Built for athletes and weekend warriors alike: our {item}.",
      "Train harder with our {item}."},
     {"Tested by our athlete team.", "Sweat-resistant and easy to wipe down.",
      "Stores away in seconds.", "Meets competition standards.",
      "Comes with a guide to our favourite workouts.", "Two-year warranty."},
     {"Pakistan", "Taiwan", "Germany", "China"},
     {{"Yoga Mat", {{"Natural Rubber", "natural rubber"}, {"Cork", "cork, natural rubber"},
                    {"Travel"}, {"Extra-Thick"}}, {""}, 2999, 8900, 900, 2500, "TPE"},
      {"Dumbbell Set", {{"Adjustable"}, {"Neoprene", "neoprene-coated iron"},
                        {"Hex", "rubber-coated iron"}}, {"2 x 5 kg", "2 x 10 kg"}, 3900, 19900,
       10000, 20000, "cast iron"},
      {"Football", {{"Match"}, {"Training"}, {"Futsal"}}, {"Size 4", "Size 5"}, 1499, 8900, 350,
       450, "synthetic leather"},
      {"Resistance Bands", {{"Fabric", "cotton-latex blend"}, {"Latex", "natural latex"},
                            {"Long Loop"}}, {"Set of 3", "Set of 5"}, 1499, 3999, 150, 600,
       "natural latex"},
      {"Tennis Racket", {{"Carbon"}, {"Junior"}, {"Control"}}, {""}, 4900, 19900, 240, 310,
       "graphite"},
      {"Jump Rope", {{"Speed"}, {"Weighted"}, {"Beaded"}}, {""}, 999, 2999, 120, 600,
       "PVC, steel bearings"}}},
    {"grocery", "Grocery", "GRO", "", 26, VariantKind::single, Icon::bag, "#3ca55c", "#b5ac49",
     {"harvest-table", "morning-ritual"},
     {"pantry", "gourmet", "breakfast", "fair-trade"},
     {"Our {item}, worth building a meal around.",
      "We tasted dozens before choosing our {item}.",
      "The {item} you will want to keep in stock."},
     {"Sourced directly from small producers.", "Packed fresh every week.",
      "No additives, nothing artificial.", "Fair prices paid to every grower.",
      "Store in a cool, dry place.", "Delicious on its own or in your favourite recipe."},
     {"Italy", "Greece", "Spain", "Belgium"},
     {{"Coffee Beans", {{"Ethiopia Yirgacheffe", {}, "Ethiopia"},
                        {"Colombia Huila", {}, "Colombia"}, {"Espresso Blend", {}, "Brazil"},
                        {"Decaf Swiss Water", {}, "Peru"}},
       {"250 g", "1 kg"}, 899, 3499, 250, 1000},
      {"Loose Leaf Tea", {{"Darjeeling", {}, "India"}, {"Sencha", {}, "Japan"},
                          {"Earl Grey", {}, "Sri Lanka"}, {"Rooibos", {}, "South Africa"}},
       {"100 g"}, 699, 1899, 100, 100},
      {"Extra Virgin Olive Oil", {{"Cretan", {}, "Greece"}, {"Tuscan", {}, "Italy"},
                                  {"Andalusian", {}, "Spain"}}, {"500 ml", "1 l"}, 999, 2999, 500,
       1000},
      {"Dark Chocolate", {{"70% Cocoa"}, {"Sea Salt"}, {"Orange"}, {"85% Cocoa"}}, {"100 g"}, 299,
       699, 100, 100},
      {"Raw Honey", {{"Wildflower"}, {"Acacia"}, {"Heather", {}, "Scotland"}}, {"250 g", "500 g"},
       699, 1999, 250, 500},
      {"Mixed Nuts", {{"Roasted"}, {"Salted"}, {"Raw"}}, {""}, 1999, 3499, 1000, 1000, {}, "kg"},
      {"Apple Juice", {{"Cold-Pressed"}, {"Cloudy"}}, {""}, 299, 599, 1000, 1000, {}, "l"}}},
  };
  return v;
}
// clang-format on

// ---- small helpers ----

std::string pad(int n, int width) {
  std::string s = std::to_string(n);
  return std::string(s.size() < static_cast<std::size_t>(width) ? width - s.size() : 0, '0') + s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Lowercase [a-z0-9-] form of a name, as the server derives slugs.
std::string slugify(std::string_view name) {
  std::string out;
  for (char c : lower(name)) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (alnum) {
      out += c;
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
  for (std::size_t pos = s.find(from); pos != std::string::npos;
       pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
  return s;
}

std::string xml_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// A shop-looking price: rounded to whole units, minus one cent (49.99).
std::int64_t shop_price(Rng& rng, int lo, int hi) {
  const int raw = rng.range(lo, hi);
  if (raw < 1000) return raw / 10 * 10 + 9;
  return std::max<std::int64_t>(raw / 100 * 100 - 1, 99);
}

std::string darken(std::string_view hex, double f) {
  char out[8];
  unsigned rgb = 0;
  std::sscanf(std::string(hex.substr(1)).c_str(), "%x", &rgb);
  const auto ch = [&](int shift) { return static_cast<unsigned>(((rgb >> shift) & 255) * f); };
  std::snprintf(out, sizeof out, "#%02x%02x%02x", ch(16), ch(8), ch(0));
  return out;
}

std::string isbn13(Rng& rng) {
  std::string digits = "978";
  for (int i = 0; i < 9; ++i) digits += static_cast<char>('0' + rng.range(0, 9));
  int sum = 0;
  for (int i = 0; i < 12; ++i) sum += (digits[i] - '0') * (i % 2 ? 3 : 1);
  digits += static_cast<char>('0' + (10 - sum % 10) % 10);
  return digits;
}

// ---- SVG placeholders ----

// Icons are drawn around (0,0) within about ±200; F is the main fill, D a
// darker detail colour, S the outline.
std::string icon_svg(Icon icon) {
  switch (icon) {
    case Icon::shirt:
      return R"svg(<path d="M-72,-150 L-160,-112 L-200,-20 L-132,8 L-112,-38 L-112,165)svg"
             R"svg( L112,165 L112,-38 L132,8 L200,-20 L160,-112 L72,-150 C50,-108 -50,-108)svg"
             R"svg( -72,-150 Z" fill="F" stroke="S" stroke-width="6" stroke-linejoin="round"/>)svg"
             R"svg(<path d="M-72,-150 C-50,-108 50,-108 72,-150" fill="none" stroke="D")svg"
             R"svg( stroke-width="10"/>)svg"
             R"svg(<path d="M-112,120 L112,120" stroke="D" stroke-width="6")svg"
             R"svg( stroke-opacity="0.5"/>)svg";
    case Icon::shoe:
      return R"svg(<path d="M-200,70 L-200,-20 C-200,-60 -170,-80 -130,-80 L-60,-120 C-40,-90)svg"
             R"svg( 0,-70 40,-60 L130,-30 C185,-15 205,20 205,70 Z" fill="F" stroke="S")svg"
             R"svg( stroke-width="6" stroke-linejoin="round"/>)svg"
             R"svg(<rect x="-210" y="64" width="422" height="42" rx="18" fill="D"/>)svg"
             R"svg(<path d="M-45,-85 L-15,-55 M-20,-75 L10,-45 M5,-67 L35,-37" stroke="D")svg"
             R"svg( stroke-width="9" stroke-linecap="round"/>)svg";
    case Icon::lamp:
      return R"svg(<ellipse cx="0" cy="-5" rx="150" ry="24" fill="#ffffff")svg"
             R"svg( fill-opacity="0.25"/>)svg"
             R"svg(<rect x="-9" y="-20" width="18" height="150" fill="D"/>)svg"
             R"svg(<ellipse cx="0" cy="140" rx="95" ry="22" fill="D"/>)svg"
             R"svg(<polygon points="-120,-20 120,-20 75,-170 -75,-170" fill="F" stroke="S")svg"
             R"svg( stroke-width="6" stroke-linejoin="round"/>)svg";
    case Icon::pan:
      return R"svg(<rect x="60" y="-20" width="170" height="40" rx="20" fill="D"/>)svg"
             R"svg(<circle cx="-60" cy="0" r="145" fill="F" stroke="S" stroke-width="6"/>)svg"
             R"svg(<circle cx="-60" cy="0" r="110" fill="D" fill-opacity="0.35"/>)svg"
             R"svg(<ellipse cx="-100" cy="-40" rx="35" ry="18" fill="#ffffff")svg"
             R"svg( fill-opacity="0.35"/>)svg";
    case Icon::headphones:
      return R"svg(<path d="M-145,50 L-145,0 A145,145 0 0 1 145,0 L145,50" fill="none")svg"
             R"svg( stroke="F" stroke-width="28" stroke-linecap="round"/>)svg"
             R"svg(<rect x="-190" y="20" width="80" height="135" rx="32" fill="F" stroke="S")svg"
             R"svg( stroke-width="6"/>)svg"
             R"svg(<rect x="110" y="20" width="80" height="135" rx="32" fill="F" stroke="S")svg"
             R"svg( stroke-width="6"/>)svg"
             R"svg(<rect x="-172" y="45" width="44" height="85" rx="18" fill="D"/>)svg"
             R"svg(<rect x="128" y="45" width="44" height="85" rx="18" fill="D"/>)svg";
    case Icon::books:
      return R"svg(<rect x="-175" y="75" width="350" height="75" rx="10" fill="F" stroke="S")svg"
             R"svg( stroke-width="6"/>)svg"
             R"svg(<rect x="-150" y="0" width="300" height="75" rx="10" fill="D" stroke="S")svg"
             R"svg( stroke-width="6"/>)svg"
             R"svg(<g transform="rotate(-7)">)svg"
             R"svg(<rect x="-130" y="-85" width="270" height="75" rx="10" fill="F" stroke="S")svg"
             R"svg( stroke-width="6"/>)svg"
             R"svg(<path d="M-100,-48 L110,-48" stroke="D" stroke-width="8"/>)svg"
             R"svg(</g>)svg"
             R"svg(<path d="M-140,112 L140,112" stroke="D" stroke-width="8"/>)svg";
    case Icon::blocks:
      return R"svg(<rect x="-175" y="10" width="155" height="155" rx="16" fill="F" stroke="S")svg"
             R"svg( stroke-width="6"/>)svg"
             R"svg(<rect x="20" y="10" width="155" height="155" rx="16" fill="D" stroke="S")svg"
             R"svg( stroke-width="6"/>)svg"
             R"svg(<rect x="-78" y="-150" width="155" height="155" rx="16" fill="F" stroke="S")svg"
             R"svg( stroke-width="6" transform="rotate(8 0 -72)"/>)svg"
             R"svg(<circle cx="-97" cy="88" r="38" fill="D"/>)svg"
             R"svg(<polygon points="97,50 137,125 57,125" fill="F"/>)svg"
             R"svg(<rect x="-30" y="-105" width="60" height="60" rx="8" fill="D")svg"
             R"svg( transform="rotate(8 0 -72)"/>)svg";
    case Icon::tent:
      return R"svg(<polygon points="-260,150 -130,-70 -50,50 50,-130 260,150" fill="D")svg"
             R"svg( fill-opacity="0.7"/>)svg"
             R"svg(<polygon points="-170,150 0,-135 170,150" fill="F" stroke="S")svg"
             R"svg( stroke-width="6" stroke-linejoin="round"/>)svg"
             R"svg(<polygon points="-48,150 0,40 48,150" fill="D"/>)svg";
    case Icon::plant:
      return R"svg(<ellipse cx="-65" cy="-70" rx="40" ry="100" transform="rotate(-32 -65 -70)")svg"
             R"svg( fill="#3a8f4f" stroke="S" stroke-width="5"/>)svg"
             R"svg(<ellipse cx="65" cy="-70" rx="40" ry="100" transform="rotate(32 65 -70)")svg"
             R"svg( fill="#3a8f4f" stroke="S" stroke-width="5"/>)svg"
             R"svg(<ellipse cx="0" cy="-105" rx="42" ry="115" fill="#2f7a42" stroke="S")svg"
             R"svg( stroke-width="5"/>)svg"
             R"svg(<polygon points="-110,30 110,30 85,175 -85,175" fill="F" stroke="S")svg"
             R"svg( stroke-width="6" stroke-linejoin="round"/>)svg"
             R"svg(<rect x="-128" y="5" width="256" height="42" rx="10" fill="F" stroke="S")svg"
             R"svg( stroke-width="6"/>)svg";
    case Icon::bottle:
      return R"svg(<rect x="-42" y="-178" width="84" height="58" rx="10" fill="D"/>)svg"
             R"svg(<rect x="-26" y="-125" width="52" height="42" fill="F" stroke="S")svg"
             R"svg( stroke-width="6"/>)svg"
             R"svg(<rect x="-88" y="-90" width="176" height="262" rx="38" fill="F" stroke="S")svg"
             R"svg( stroke-width="6"/>)svg"
             R"svg(<rect x="-62" y="-10" width="124" height="105" rx="10" fill="D"/>)svg";
    case Icon::ball:
      return R"svg(<circle r="165" fill="F" stroke="S" stroke-width="6"/>)svg"
             R"svg(<polygon points="0,-55 52,-17 32,45 -32,45 -52,-17" fill="D"/>)svg"
             R"svg(<path d="M0,-55 L0,-163 M52,-17 L155,-52 M32,45 L96,132 M-32,45 L-96,132)svg"
             R"svg( M-52,-17 L-155,-52" stroke="D" stroke-width="9"/>)svg";
    case Icon::bag:
      return R"svg(<path d="M-78,-55 C-78,-180 78,-180 78,-55" fill="none" stroke="D")svg"
             R"svg( stroke-width="18" stroke-linecap="round"/>)svg"
             R"svg(<path d="M-155,-60 L155,-60 L132,172 L-132,172 Z" fill="F" stroke="S")svg"
             R"svg( stroke-width="6" stroke-linejoin="round"/>)svg"
             R"svg(<circle cx="-10" cy="60" r="58" fill="D"/>)svg"
             R"svg(<path d="M-8,4 C25,-45 80,-30 80,-30 C62,14 18,18 -8,4 Z" fill="#4caf50"/>)svg";
  }
  return {};
}

struct SvgLook {
  std::string_view color_a, color_b;
  std::string fill;  // icon fill
  int view;          // 0..3: gradient direction, zoom and tilt
};

std::string render_svg(Rng& rng, const SvgLook& look, Icon icon, std::string_view label,
                       std::string_view subtitle) {
  static const char* kDirections[] = {
      R"svg(x1="0" y1="0" x2="1" y2="1")svg", R"svg(x1="1" y1="0" x2="0" y2="1")svg",
      R"svg(x1="0" y1="1" x2="1" y2="0")svg", R"svg(x1="0.5" y1="0" x2="0.5" y2="1")svg"};
  static const char* kTransforms[] = {
      "translate(400 330)", "translate(400 330) scale(1.15) rotate(-6)",
      "translate(400 335) scale(0.9) rotate(5)", "translate(400 330) scale(1.05)"};
  static constexpr std::string_view kFont =
      R"svg(font-family="'Helvetica Neue', Helvetica, Arial, sans-serif")svg";
  const int view = look.view % 4;
  const std::string alt = xml_escape(label);
  std::string svg = R"svg(<svg xmlns="http://www.w3.org/2000/svg" width="800" height="800")svg"
                    R"svg( viewBox="0 0 800 800" role="img" aria-label=")svg" +
                    alt + "\">";
  svg += R"svg(<defs><linearGradient id="bg" )svg" + std::string(kDirections[view]) + ">";
  svg += R"svg(<stop offset="0" stop-color=")svg" + std::string(look.color_a) + "\"/>";
  svg += R"svg(<stop offset="1" stop-color=")svg" + std::string(look.color_b) + "\"/>";
  svg += R"svg(</linearGradient><radialGradient id="glow" cx="0.5" cy="0.42" r="0.5">)svg"
         R"svg(<stop offset="0" stop-color="#ffffff" stop-opacity="0.45"/>)svg"
         R"svg(<stop offset="1" stop-color="#ffffff" stop-opacity="0"/>)svg"
         R"svg(</radialGradient></defs><rect width="800" height="800" fill="url(#bg)"/>)svg";
  for (int i = 0; i < 7; ++i) {  // soft bokeh dots
    svg += "<circle cx=\"" + std::to_string(rng.range(0, 800)) + "\" cy=\"" +
           std::to_string(rng.range(0, 600)) + "\" r=\"" + std::to_string(rng.range(18, 90)) +
           R"svg(" fill="#ffffff" fill-opacity="0.)svg" + pad(rng.range(5, 14), 2) + "\"/>";
  }
  svg += R"svg(<circle cx="400" cy="330" r="290" fill="url(#glow)"/>)svg";
  std::string art = icon_svg(icon);
  art = replace_all(art, "\"F\"", "\"" + look.fill + "\"");
  art = replace_all(art, "\"D\"", "\"" + darken(look.color_b, 0.55) + "\"");
  art = replace_all(art, "\"S\"", "\"#ffffff\"");
  svg += "<g transform=\"" + std::string(kTransforms[view]) + "\">" + art + "</g>";
  // Text on a dark band stays readable on light palettes; the size shrinks
  // with length so long names stay inside the 800 px width.
  const int label_size =
      std::min<int>(56, static_cast<int>(1150 / std::max<std::size_t>(label.size(), 1)));
  svg += R"svg(<rect x="0" y="615" width="800" height="185" fill="#000000")svg"
         R"svg( fill-opacity="0.22"/>)svg";
  svg += R"svg(<text x="400" y="695" text-anchor="middle" font-weight="700" )svg" +
         std::string(kFont) + " font-size=\"" + std::to_string(label_size) +
         "\" fill=\"#ffffff\">" + alt + "</text>";
  svg += R"svg(<text x="400" y="750" text-anchor="middle" font-size="28" )svg" +
         std::string(kFont) + R"svg( fill="#ffffff" fill-opacity="0.85">)svg" +
         xml_escape(subtitle) + "</text></svg>\n";
  return svg;
}

// ---- products ----

struct Combo {
  const Family* family;
  const Qualifier* qualifier;
  std::string_view size;
};

std::string title_of(const Combo& c) {
  std::string t = c.family->noun_first
                      ? std::string(c.family->noun) + " " + std::string(c.qualifier->text)
                      : std::string(c.qualifier->text) + " " + std::string(c.family->noun);
  if (!c.size.empty()) t += " " + std::string(c.size);
  return t;
}

// What a description calls the item: "crew sweater", "field guide".
std::string item_of(const CategorySpec& cat, const Combo& c) {
  if (cat.key == "books") {
    if (c.family->noun == "The") return "novel";
    if (c.family->noun == "Field Guide to") return "field guide";
    if (c.family->noun == "A Beginner's Guide to") return "guide";
  }
  std::string item = lower(c.family->noun);
  if (cat.key == "electronics") item = replace_all(item, "usb-c", "USB-C");
  return item;
}

// The big words on the placeholder: the title if short, else without its
// size, else the part that names the thing.
std::string short_label(const Combo& c, const std::string& title) {
  if (title.size() <= 24) return title;
  const std::string base = title_of({c.family, c.qualifier, ""});
  if (base.size() <= 26) return base;
  return std::string(c.family->noun_first ? c.qualifier->text : c.family->noun);
}

enum class SaleTiming { running, running_open, starts_soon, ends_soon, future, ended };

json::object make_sale(Rng& rng, int slot, std::int64_t price, Millis now) {
  static constexpr Millis kMinute = 60'000, kDay = 86'400'000;
  const Millis base = now - now % kMinute;
  static const char* kKinds[] = {"percent", "amount", "fixed_price"};
  json::object sale;
  sale["kind"] = kKinds[slot % 3];
  // Round like a shop would: whole units for bigger sums, dimes for small ones.
  const auto tidy = [](std::int64_t v) { return v >= 1000 ? v / 100 * 100 : v / 10 * 10; };
  std::int64_t value = 0;
  switch (slot % 3) {
    case 0:
      value = rng.pick(std::vector<int>{10, 15, 20, 25, 30, 40, 50});
      break;
    case 1:
      value = std::max<std::int64_t>(10, tidy(price * rng.range(10, 30) / 100));
      break;
    default:
      value = std::max<std::int64_t>(9, tidy(price * rng.range(60, 85) / 100) - 1);
  }
  sale["value"] = value;
  // The first few slots show every live behaviour; the rest rotate timings.
  SaleTiming timing;
  switch (slot) {
    case 0:
      timing = SaleTiming::starts_soon;
      break;
    case 1:
      timing = SaleTiming::ends_soon;
      break;
    case 2:
    case 4:
      timing = SaleTiming::running;
      break;
    default: {
      static const SaleTiming kRotation[] = {SaleTiming::running, SaleTiming::running_open,
                                             SaleTiming::future, SaleTiming::ended};
      timing = kRotation[slot % 4];
    }
  }
  Millis starts = 0, ends = 0;
  switch (timing) {
    case SaleTiming::running:
      starts = base - rng.range(1, 5) * kDay;
      ends = base + rng.range(3, 10) * kDay;
      break;
    case SaleTiming::running_open:
      starts = base - rng.range(1, 20) * kDay;
      break;
    case SaleTiming::starts_soon:
      starts = base + 5 * kMinute;
      ends = base + 2 * kDay;
      break;
    case SaleTiming::ends_soon:
      starts = base - kDay;
      ends = base + 10 * kMinute;
      break;
    case SaleTiming::future:
      starts = base + rng.range(1, 4) * kDay;
      ends = starts + rng.range(3, 10) * kDay;
      break;
    case SaleTiming::ended:
      starts = base - rng.range(15, 40) * kDay;
      ends = base - rng.range(2, 14) * kDay;
      break;
  }
  sale["starts_at"] = format_rfc3339(starts);
  if (ends != 0) sale["ends_at"] = format_rfc3339(ends);
  std::int64_t sold =
      timing == SaleTiming::future || timing == SaleTiming::starts_soon ? 0 : rng.range(0, 40);
  // Two running sales are capped by quantity, close to selling out.
  if (slot == 2) {
    sale["stock_limit"] = 25;
    sold = 19;
  } else if (slot == 4) {
    sale["stock_limit"] = 12;
    sold = 9;
  }
  sale["sold"] = sold;
  return sale;
}

int stock_level(Rng& rng, int threshold, bool sold_out) {
  if (sold_out) return 0;
  const int r = rng.range(0, 99);
  if (r < 8) return 0;
  if (r < 22) return rng.range(1, threshold);
  return rng.range(threshold + 1, 150);
}

struct ProductContext {
  const CategorySpec& cat;
  const Combo& combo;
  int index;          // 0-based, across the catalog
  int number_in_cat;  // 1-based
  std::string_view status;
  int sale_slot;  // -1: none
};

// Options and variants; returns the image colours (one per colour option value).
std::vector<const ColorSpec*> add_variants(Rng& rng, json::object& p, const ProductContext& ctx,
                                           const std::string& sku, std::int64_t price,
                                           int threshold, bool allow_backorder) {
  const std::string var_prefix = "var_demo_" + pad(ctx.index + 1, 4) + "_";
  json::array variants;
  if (ctx.cat.variants == VariantKind::single) {
    int stock = stock_level(rng, threshold, false);
    if (allow_backorder && stock == 0) stock = -rng.range(1, 3);  // orders waiting for stock
    variants.push_back(json::object{{"id", var_prefix + "01"},
                                    {"sku", sku},
                                    {"options", json::object{}},
                                    {"stock", stock},
                                    {"available", true}});
    p["options"] = json::array{};
    p["variants"] = std::move(variants);
    return {};
  }
  const bool apparel = ctx.cat.variants == VariantKind::apparel;
  const auto& all_sizes = apparel ? kApparelSizes : kShoeSizes;
  const int n_sizes = apparel ? rng.range(4, 6) : rng.range(5, 7);
  const int first = rng.range(0, static_cast<int>(all_sizes.size()) - n_sizes);
  std::vector<std::string_view> sizes(all_sizes.begin() + first,
                                      all_sizes.begin() + first + n_sizes);
  std::vector<const ColorSpec*> palette;
  for (const auto& c : colors()) palette.push_back(&c);
  rng.shuffle(palette);
  palette.resize(apparel ? rng.range(2, 3) : rng.range(1, 3));

  json::array size_values, color_values;
  for (auto s : sizes) size_values.emplace_back(s);
  for (auto* c : palette) color_values.emplace_back(c->name);
  p["options"] = json::array{json::object{{"name", "size"}, {"values", std::move(size_values)}},
                             json::object{{"name", "color"}, {"values", std::move(color_values)}}};
  const bool all_sold_out = rng.percent(6);
  int n = 0;
  for (auto* color : palette) {
    for (auto size : sizes) {
      json::object v{{"id", var_prefix + pad(++n, 2)},
                     {"sku", sku + "-" + std::string(size) + "-" + std::string(color->code)},
                     {"options", json::object{{"size", size}, {"color", color->name}}}};
      if (size == "XXL") v["price"] = price + 500;  // bigger sizes cost a little more
      int stock = rng.range(0, 99) < 15 ? 0 : rng.range(1, 30);
      if (all_sold_out) stock = 0;
      v["stock"] = stock;
      v["available"] = !(palette.size() > 1 && rng.percent(4));  // a discontinued combination
      variants.push_back(std::move(v));
    }
  }
  p["variants"] = std::move(variants);
  return palette;
}

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
      shipping.push_back(
          json::object{{"method", "Standard"}, {"price", 495}, {"eta_days", rng.range(3, 5)}});
    }
    if (weight_g > 15000) {
      shipping.push_back(json::object{{"method", "Freight"}, {"price", 4900}, {"eta_days", 7}});
    } else {
      shipping.push_back(json::object{{"method", "Express"}, {"price", 1295}, {"eta_days", 1}});
    }
    if (rng.percent(20))
      shipping.push_back(
          json::object{{"method", "Same-day courier"}, {"price", 995}, {"eta_days", 0}});
  }
  f["pickup"] = pickup;
  f["pickup_locations"] = std::move(locations);
  f["shipping"] = std::move(shipping);
  return f;
}

json::object make_attributes(Rng& rng, const ProductContext& ctx, std::string_view condition,
                             int weight_g) {
  const Combo& c = ctx.combo;
  json::object a;
  const std::string_view material =
      !c.qualifier->material.empty() ? c.qualifier->material : c.family->material;
  if (!material.empty()) a["material"] = material;
  a["weight_g"] = weight_g;
  a["origin"] = !c.qualifier->origin.empty() ? c.qualifier->origin : rng.pick(ctx.cat.origins);
  const std::string_view key = ctx.cat.key;
  if (key == "apparel") {
    a["care"] =
        rng.pick(std::vector<std::string_view>{"Machine wash cold", "Hand wash", "Dry clean only"});
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

std::string make_description(Rng& rng, const ProductContext& ctx, std::string_view material,
                             std::string_view brand) {
  // Sentences are appended piecewise (GCC 12 warns falsely on " " + string).
  std::string d =
      replace_all(std::string(rng.pick(ctx.cat.openers)), "{item}", item_of(ctx.cat, ctx.combo));
  const auto sentence = [&d](std::string_view a, std::string_view b = {}) {
    d += ' ';
    d += a;
    d += b;
    if (d.back() != '.') d += '.';
  };
  if (!material.empty()) sentence("Made from ", material);
  std::vector<std::string_view> features = ctx.cat.features;
  rng.shuffle(features);
  const int n = rng.range(2, 3);
  for (int i = 0; i < n; ++i) sentence(features[i]);
  if (!brand.empty()) {
    const std::string_view key = ctx.cat.key;
    sentence(key == "books"                        ? "Published by "
             : key == "grocery" || key == "beauty" ? "From "
                                                   : "Designed by ",
             brand);
  }
  sentence(rng.pick(kClosers));
  return d;
}

std::string_view pick_condition(Rng& rng, std::string_view cat) {
  const int r = rng.range(0, 99);
  if (cat == "electronics")
    return r < 18 ? "refurbished" : r < 24 ? "like_new" : r < 26 ? "for_parts" : "new";
  if (cat == "books") return r < 12 ? "like_new" : r < 22 ? "good" : r < 25 ? "fair" : "new";
  if (cat == "outdoor" || cat == "sports") return r < 6 ? "good" : r < 9 ? "like_new" : "new";
  return "new";
}

struct Built {
  json::object doc;
  std::vector<std::pair<std::string, std::string>> files;
};

Built make_product(Rng& rng, const ProductContext& ctx, Millis now) {
  const CategorySpec& cat = ctx.cat;
  const Combo& combo = ctx.combo;
  const std::string title = title_of(combo);
  const std::string sku = std::string(cat.sku_prefix) + "-" + pad(ctx.number_in_cat, 4);
  const std::int64_t price = shop_price(rng, combo.family->min_price, combo.family->max_price);
  const int weight_g = rng.range(combo.family->min_weight_g, combo.family->max_weight_g) / 10 * 10;
  const std::string_view condition = pick_condition(rng, cat.key);
  const bool has_brand = rng.percent(95);
  const BrandSpec* brand = nullptr;
  if (has_brand) {
    const std::string_view key = rng.pick(cat.brands);
    for (const auto& b : brand_specs())
      if (b.key == key) brand = &b;
  }
  const std::string_view material =
      !combo.qualifier->material.empty() ? combo.qualifier->material : combo.family->material;

  json::object p;
  p["id"] = "prod_demo_" + pad(ctx.index + 1, 4);
  p["title"] = title;
  p["description"] = make_description(rng, ctx, material, brand ? brand->name : "");
  p["sku"] = sku;
  p["status"] = ctx.status;
  p["condition"] = condition;
  p["price"] = price;
  if (rng.percent(20)) p["compare_at_price"] = (price * rng.range(115, 140) / 100) / 100 * 100 + 99;
  if (ctx.sale_slot >= 0) p["sale"] = make_sale(rng, ctx.sale_slot, price, now);

  const int threshold = rng.pick(std::vector<int>{3, 5, 5, 5, 10});
  const bool track = !rng.percent(3);
  const bool backorder = track && rng.percent(5);
  const std::vector<const ColorSpec*> image_colors =
      add_variants(rng, p, ctx, sku, price, threshold, backorder);
  p["track_inventory"] = track;
  p["allow_backorder"] = backorder;
  p["low_stock_threshold"] = threshold;

  // Own category, its parent, sometimes a related one.
  json::array category_ids{"cat_" + std::string(cat.key)};
  if (!cat.parent.empty()) category_ids.emplace_back("cat_" + std::string(cat.parent));
  if (rng.percent(20)) {
    std::string_view related = cat.key == "sports"    ? "outdoor"
                               : cat.key == "outdoor" ? "sports"
                               : cat.key == "shoes"   ? "sports"
                               : cat.key == "grocery" ? "kitchen"
                                                      : "";
    if (!related.empty()) category_ids.emplace_back("cat_" + std::string(related));
  }
  p["category_ids"] = std::move(category_ids);

  std::vector<std::string_view> tags = cat.tags;
  rng.shuffle(tags);
  json::array tag_values;
  const int n_tags = rng.range(1, 3);
  for (int i = 0; i < n_tags; ++i) tag_values.emplace_back(tags[i]);
  if (rng.percent(10)) tag_values.emplace_back("new-arrival");
  if (rng.percent(10)) tag_values.emplace_back("bestseller");
  if (rng.percent(8)) tag_values.emplace_back("gift-idea");
  if (title.find("Organic") != std::string::npos || title.find("Recycled") != std::string::npos)
    tag_values.emplace_back("eco");
  p["tags"] = std::move(tag_values);
  if (brand) p["brand_id"] = "brand_" + std::string(brand->key);
  p["unit_id"] =
      cat.variants == VariantKind::shoes ? "unit_pair" : "unit_" + std::string(combo.family->unit);
  p["fulfillment"] = make_fulfillment(rng, price, weight_g);
  p["attributes"] = make_attributes(rng, ctx, condition, weight_g);

  // Images: one per colour for variant products, else 1-4 views.
  Built out;
  int n_images = static_cast<int>(image_colors.size());
  if (n_images == 0) {
    const int r = rng.range(0, 99);
    n_images = r < 30 ? 1 : r < 65 ? 2 : r < 90 ? 3 : 4;
  } else if (n_images < 4 && rng.percent(30)) {
    ++n_images;  // an extra detail shot
  }
  const std::string label = short_label(combo, title);
  const std::string subtitle = brand ? std::string(brand->name) : std::string(cat.name);
  json::array images;
  for (int i = 0; i < n_images; ++i) {
    const ColorSpec* color = i < static_cast<int>(image_colors.size()) ? image_colors[i] : nullptr;
    const std::string file = lower(sku) + "-" + std::to_string(i + 1) + ".svg";
    const std::string alt = color    ? title + " in " + std::string(color->name)
                            : i == 0 ? title
                                     : title + ", view " + std::to_string(i + 1);
    SvgLook look{cat.color_a, cat.color_b, color ? std::string(color->hex) : "#ffffff",
                 (ctx.index + i) % 4};
    out.files.emplace_back(file, render_svg(rng, look, cat.icon, label, subtitle));
    images.push_back(json::object{{"id", "img_" + lower(sku) + "_" + std::to_string(i + 1)},
                                  {"url", std::string(kDemoMediaPrefix) + file},
                                  {"alt", alt},
                                  {"width", kDemoImageSize},
                                  {"height", kDemoImageSize}});
  }
  p["images"] = std::move(images);
  out.doc = std::move(p);
  return out;
}

// ---- reference data ----

std::vector<json::object> make_categories() {
  std::vector<json::object> out;
  int position = 0;
  // Parents first, so a child's parent_id always names an existing category.
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& c : category_specs()) {
      if ((pass == 0) != c.parent.empty()) continue;
      json::object o{{"id", "cat_" + std::string(c.key)},
                     {"name", c.name},
                     {"slug", slugify(c.name)},
                     {"position", position++}};
      if (!c.parent.empty()) o["parent_id"] = "cat_" + std::string(c.parent);
      out.push_back(std::move(o));
    }
  }
  return out;
}

std::vector<json::object> make_brands() {
  std::vector<json::object> out;
  int position = 0;
  for (const auto& b : brand_specs()) {
    out.push_back(json::object{{"id", "brand_" + std::string(b.key)},
                               {"name", b.name},
                               {"slug", slugify(b.name)},
                               {"position", position++}});
  }
  return out;
}

std::vector<json::object> make_units() {
  static const std::pair<std::string_view, std::string_view> kUnits[] = {
      {"pcs", "Piece"}, {"kg", "Kilogram"}, {"m", "Metre"}, {"l", "Litre"}, {"pair", "Pair"}};
  std::vector<json::object> out;
  int position = 0;
  for (const auto& [code, name] : kUnits) {
    out.push_back(json::object{{"id", "unit_" + std::string(code)},
                               {"name", name},
                               {"slug", code},
                               {"position", position++}});
  }
  return out;
}

}  // namespace

DemoCatalog make_demo_catalog(std::uint32_t seed, Millis now) {
  Rng rng(0x5EEDC0FFEEull ^ (static_cast<std::uint64_t>(seed) << 17) ^ seed);
  DemoCatalog out;
  out.categories = make_categories();
  out.brands = make_brands();
  out.units = make_units();

  const auto& cats = category_specs();
  // Each category's distinct titles, shuffled; products take them in turn.
  std::vector<std::vector<Combo>> combos(cats.size());
  std::vector<int> order;
  for (std::size_t ci = 0; ci < cats.size(); ++ci) {
    for (const auto& f : cats[ci].families)
      for (const auto& q : f.qualifiers)
        for (auto s : f.sizes) combos[ci].push_back({&f, &q, s});
    if (combos[ci].size() < static_cast<std::size_t>(cats[ci].quota))
      throw std::logic_error("demo catalog: too few titles for " + std::string(cats[ci].key));
    rng.shuffle(combos[ci]);
    order.insert(order.end(), cats[ci].quota, static_cast<int>(ci));
  }
  rng.shuffle(order);  // mixed categories, as a real shop's history would be

  // Fixed shares of statuses and sales: 8% draft, 4% archived, 15% on sale
  // (all of them active, so the sales are visible in the shop).
  const int n = static_cast<int>(order.size());
  std::vector<int> perm(n);
  for (int i = 0; i < n; ++i) perm[i] = i;
  rng.shuffle(perm);
  std::vector<std::string_view> status(n, "active");
  std::vector<int> sale_slot(n, -1);
  const int drafts = n * 8 / 100, archived = n * 4 / 100, sales = n * 15 / 100;
  for (int i = 0; i < drafts; ++i) status[perm[i]] = "draft";
  for (int i = drafts; i < drafts + archived; ++i) status[perm[i]] = "archived";
  for (int i = 0; i < sales; ++i) sale_slot[perm[drafts + archived + i]] = i;

  std::vector<int> taken(cats.size(), 0);
  for (int i = 0; i < n; ++i) {
    const int ci = order[i];
    const int k = taken[ci]++;
    const ProductContext ctx{cats[ci], combos[ci][k], i, k + 1, status[i], sale_slot[i]};
    Built built = make_product(rng, ctx, now);
    out.products.push_back(std::move(built.doc));
    for (auto& f : built.files) out.files.push_back(std::move(f));
  }
  return out;
}

}  // namespace shelfsync
