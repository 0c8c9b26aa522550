#pragma once
// SVG placeholders for the demo products: a category icon on a gradient, with
// the product's short name and brand underneath, 800 px square.

#include <string>
#include <string_view>

#include "cli/demo_rng.hpp"

namespace shelfsync::demo {

enum class Icon { shirt, shoe, lamp, pan, headphones, books, blocks, tent, plant, bottle, ball, bag };

struct SvgLook {
  std::string_view color_a, color_b;
  std::string fill;  // icon fill
  int view;          // 0..3: gradient direction, zoom and tilt
};

// Draws from `rng` (the bokeh dots), so the call order matters for the seed.
std::string render_svg(Rng& rng, const SvgLook& look, Icon icon, std::string_view label, std::string_view subtitle);

}  // namespace shelfsync::demo
