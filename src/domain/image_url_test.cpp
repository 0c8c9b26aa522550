#include "domain/image_url.hpp"

#include <gtest/gtest.h>

namespace shelfsync {
namespace {

TEST(ImageUrl, AcceptsHttpAndHttpsWithAHostAndOwnMediaPaths) {
  for (const char* url :
       {"https://cdn.example.com/a.png", "http://cdn.example.com/a.png", "HTTPS://CDN.EXAMPLE.COM/A.PNG", "https://x",
        "https://x:8443/p?q=1#f", "https://[::1]/a.png", "https://127.0.0.1/a.png", "https://cdn.example.com/a%20b.png",
        "/media/t_1/img_01ABC_ff00.png"})
    EXPECT_EQ(image_url_problem(url), std::nullopt) << url;
}

TEST(ImageUrl, RefusesOtherSchemesRelativeAndTrickyUrls) {
  for (const char* url : {"javascript:alert(1)",
                          "JavaScript:alert(1)",
                          "data:image/png;base64,AAAA",
                          "file:///etc/passwd",
                          "ftp://example.com/a.png",
                          "//evil.example/a.png",
                          "a.png",
                          "media/t/a.png",
                          "/media/a.png",
                          "/media/t/../db",
                          "/media/t/.hidden",
                          "/media/t/a/b.png",
                          "/etc/passwd",
                          "https://",
                          "https:///a.png",
                          "https://user@evil.example/a.png",
                          "https:\\\\evil.example\\a.png",
                          "https://cdn.example.com/a b.png",
                          " https://cdn.example.com/a.png",
                          "https://cdn.example.com/a.png\n",
                          "http:/x/a.png",
                          "vbscript:msgbox(1)",
                          "blob:https://x/1"})
    EXPECT_NE(image_url_problem(url), std::nullopt) << url;
}

}  // namespace
}  // namespace shelfsync
