#include "catalog/media_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace shelfsync {
namespace {

namespace fs = std::filesystem;

void fsync_path(const fs::path& p, int flags) {
  const int fd = ::open(p.c_str(), flags);
  if (fd < 0) throw std::runtime_error("open " + p.string() + " failed");
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw std::runtime_error("fsync " + p.string() + " failed");
}

}  // namespace

void write_media_file(const std::string& media_dir, const std::string& tenant, const std::string& file,
                      std::string_view bytes) {
  const fs::path dir = fs::path(media_dir) / tenant;
  fs::create_directories(dir);
  const fs::path tmp = dir / ("." + file + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  fsync_path(tmp, O_RDONLY);
  fs::rename(tmp, dir / file);
  fsync_path(dir, O_RDONLY | O_DIRECTORY);
}

void remove_media_file(const std::string& media_dir, const std::string& tenant, const std::string& file) {
  std::error_code ec;
  fs::remove(fs::path(media_dir) / tenant / file, ec);
}

std::optional<std::string> read_media_file(const std::string& media_dir, const std::string& tenant,
                                           const std::string& file) {
  std::ifstream in(fs::path(media_dir) / tenant / file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string media_url(const std::string& tenant, const std::string& file) { return "/media/" + tenant + "/" + file; }

std::optional<std::string> media_file_of(const std::string& tenant, std::string_view url) {
  const std::string prefix = "/media/" + tenant + "/";
  if (!url.starts_with(prefix)) return std::nullopt;
  auto file = url.substr(prefix.size());
  if (file.empty() || file.find('/') != std::string_view::npos) return std::nullopt;
  return std::string(file);
}

std::string_view media_content_type(std::string_view file) {
  const auto dot = file.rfind('.');
  if (dot == std::string_view::npos) return {};
  const auto ext = file.substr(dot + 1);
  if (ext == "png") return "image/png";
  if (ext == "jpg") return "image/jpeg";
  if (ext == "gif") return "image/gif";
  if (ext == "webp") return "image/webp";
  if (ext == "svg") return "image/svg+xml";
  return {};
}

}  // namespace shelfsync
