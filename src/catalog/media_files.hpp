#pragma once
// Uploaded image bytes on disk: <media_dir>/<tenant>/<file>. Files are
// written to a temporary name, fsynced and renamed, so a file a record names
// is always complete, also after a crash.

#include <optional>
#include <string>
#include <string_view>

namespace shelfsync {

// Throws std::runtime_error on I/O failure.
void write_media_file(const std::string& media_dir, const std::string& tenant, const std::string& file,
                      std::string_view bytes);
void remove_media_file(const std::string& media_dir, const std::string& tenant, const std::string& file);
std::optional<std::string> read_media_file(const std::string& media_dir, const std::string& tenant,
                                           const std::string& file);

// "/media/<tenant>/<file>" — the URL a record stores.
std::string media_url(const std::string& tenant, const std::string& file);
// The file name if `url` is one of this tenant's media URLs.
std::optional<std::string> media_file_of(const std::string& tenant, std::string_view url);
// "image/png" for "x.png"; empty if the extension is not one we serve.
std::string_view media_content_type(std::string_view file);

}  // namespace shelfsync
