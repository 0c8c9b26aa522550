#pragma once

#include <string>

#include "cli/args.hpp"

namespace shelfsync::cli {

// Where image bytes live: --media DIR, else "<sqlite file>.media", else
// "shelfsync-media" in the working directory.
std::string media_dir_for(const Args& args, const std::string& db_url);

}  // namespace shelfsync::cli
