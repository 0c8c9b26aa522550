#include "cli/demo_images.hpp"

#include <algorithm>
#include <cstdio>

#include "cli/demo_text.hpp"

namespace shelfsync::demo {
namespace {

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

std::string darken(std::string_view hex, double f) {
  char out[8];
  unsigned rgb = 0;
  std::sscanf(std::string(hex.substr(1)).c_str(), "%x", &rgb);
  const auto ch = [&](int shift) { return static_cast<unsigned>(((rgb >> shift) & 255) * f); };
  std::snprintf(out, sizeof out, "#%02x%02x%02x", ch(16), ch(8), ch(0));
  return out;
}

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

}  // namespace

std::string render_svg(Rng& rng, const SvgLook& look, Icon icon, std::string_view label, std::string_view subtitle) {
  static const char* kDirections[] = {R"svg(x1="0" y1="0" x2="1" y2="1")svg", R"svg(x1="1" y1="0" x2="0" y2="1")svg",
                                      R"svg(x1="0" y1="1" x2="1" y2="0")svg",
                                      R"svg(x1="0.5" y1="0" x2="0.5" y2="1")svg"};
  static const char* kTransforms[] = {"translate(400 330)", "translate(400 330) scale(1.15) rotate(-6)",
                                      "translate(400 335) scale(0.9) rotate(5)", "translate(400 330) scale(1.05)"};
  static constexpr std::string_view kFont = R"svg(font-family="'Helvetica Neue', Helvetica, Arial, sans-serif")svg";
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
    svg += "<circle cx=\"" + std::to_string(rng.range(0, 800)) + "\" cy=\"" + std::to_string(rng.range(0, 600)) +
           "\" r=\"" + std::to_string(rng.range(18, 90)) + R"svg(" fill="#ffffff" fill-opacity="0.)svg" +
           pad(rng.range(5, 14), 2) + "\"/>";
  }
  svg += R"svg(<circle cx="400" cy="330" r="290" fill="url(#glow)"/>)svg";
  std::string art = icon_svg(icon);
  art = replace_all(art, "\"F\"", "\"" + look.fill + "\"");
  art = replace_all(art, "\"D\"", "\"" + darken(look.color_b, 0.55) + "\"");
  art = replace_all(art, "\"S\"", "\"#ffffff\"");
  svg += "<g transform=\"" + std::string(kTransforms[view]) + "\">" + art + "</g>";
  // Text on a dark band stays readable on light palettes; the size shrinks
  // with length so long names stay inside the 800 px width.
  const int label_size = std::min<int>(56, static_cast<int>(1150 / std::max<std::size_t>(label.size(), 1)));
  svg += R"svg(<rect x="0" y="615" width="800" height="185" fill="#000000")svg"
         R"svg( fill-opacity="0.22"/>)svg";
  svg += R"svg(<text x="400" y="695" text-anchor="middle" font-weight="700" )svg" + std::string(kFont) +
         " font-size=\"" + std::to_string(label_size) + "\" fill=\"#ffffff\">" + alt + "</text>";
  svg += R"svg(<text x="400" y="750" text-anchor="middle" font-size="28" )svg" + std::string(kFont) +
         R"svg( fill="#ffffff" fill-opacity="0.85">)svg" + xml_escape(subtitle) + "</text></svg>\n";
  return svg;
}

}  // namespace shelfsync::demo
