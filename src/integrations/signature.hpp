#pragma once
// Webhook secrets and signatures (SPEC §8). A secret has the Standard
// Webhooks form `whsec_<base64>`; both signatures use its decoded bytes as
// the HMAC-SHA256 key:
//   X-Shelfsync-Signature: t=<unix>,v1=<hex HMAC(key, "<t>.<body>")>
//   webhook-signature:     v1,<base64 HMAC(key, "<id>.<t>.<body>")>
// so a receiver verifies with plain HMAC code or a Standard Webhooks library.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shelfsync {

// A new secret: 24 random bytes, `whsec_`-prefixed base64.
std::string new_webhook_secret();
// The key of a `whsec_` secret (16–64 bytes once decoded), or nullopt if
// it is not one.
std::optional<std::string> webhook_key(std::string_view secret);

std::string shelfsync_signature(std::string_view key, std::int64_t unix_seconds, std::string_view body);
std::string standard_signature(std::string_view key, std::string_view message_id, std::int64_t unix_seconds,
                               std::string_view body);

std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace shelfsync
