#include "cli/options.hpp"

namespace shelfsync::cli {

std::string media_dir_for(const Args& args, const std::string& db_url) {
  if (auto dir = args.get("media")) return *dir;
  if (db_url.starts_with("sqlite:")) {
    auto path = db_url.substr(7);
    if (path.starts_with("//")) path = path.substr(2);
    return path + ".media";
  }
  return "shelfsync-media";
}

}  // namespace shelfsync::cli
