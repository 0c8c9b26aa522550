// The webhook plumbing on its own: which targets are refused, signatures
// against the Standard Webhooks test vector, and the HTTP client against a
// small server on 127.0.0.1 (allowed here, as `serve --webhook-allow` would).

#include <atomic>
#include <functional>
#include <thread>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>

#include "integrations/http_client.hpp"
#include "integrations/signature.hpp"
#include "integrations/target_policy.hpp"

namespace shelfsync {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

std::optional<std::string> why(const TargetPolicy& p, const char* ip) { return p.refusal(*parse_ip(ip)); }

TEST(TargetPolicy, RefusesTheOperatorsOwnNetworkInEveryForm) {
  const TargetPolicy policy;
  for (const char* ip : {"127.0.0.1",        "127.255.0.9",       "::1",
                         "::ffff:127.0.0.1", "0.0.0.0",           "::",
                         "10.1.2.3",         "172.16.0.1",        "172.31.255.255",
                         "192.168.0.10",     "fd00::1",           "fc12::9",
                         "169.254.169.254",  "fe80::1",           "100.64.0.1",
                         "224.0.0.1",        "ff02::1",           "255.255.255.255",
                         "198.18.0.1",       "::127.0.0.1",       "64:ff9b::7f00:1",
                         "2002:7f00:1::1",   "64:ff9b::a9fe:a9fe"})
    EXPECT_TRUE(why(policy, ip)) << ip;
  EXPECT_EQ(*why(policy, "127.0.0.1"), "loopback");
  EXPECT_EQ(*why(policy, "169.254.169.254"), "link-local");
  EXPECT_EQ(*why(policy, "64:ff9b::7f00:1"), "loopback");  // NAT64 of 127.0.0.1
  for (const char* ip : {"93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "64:ff9b::808:808"})
    EXPECT_FALSE(why(policy, ip)) << ip;
}

TEST(TargetPolicy, AnAllowedNetworkGoesThroughAndNothingElse) {
  const TargetPolicy policy({*Cidr::parse("127.0.0.0/8"), *Cidr::parse("10.5.0.0/16")});
  EXPECT_FALSE(why(policy, "127.0.0.1"));
  EXPECT_FALSE(why(policy, "::ffff:127.0.0.1"));
  EXPECT_FALSE(why(policy, "10.5.1.1"));
  EXPECT_TRUE(why(policy, "10.6.1.1"));
  EXPECT_TRUE(why(policy, "::1"));
}

TEST(TargetPolicy, AHooksUrlIsCheckedForItsForm) {
  const TargetPolicy policy;
  EXPECT_FALSE(check_target_url("https://erp.example.com/hooks/shelfsync?x=1", policy));
  EXPECT_FALSE(check_target_url("http://localhost:9/", policy));  // a name: judged at connect time
  const std::pair<const char*, ErrorCode> refused[] = {
      {"ftp://example.com/", ErrorCode::bad_webhook_url},
      {"https://user:pw@example.com/", ErrorCode::bad_webhook_url},
      {"https:///path", ErrorCode::bad_webhook_url},
      {"https://exa mple.com/", ErrorCode::bad_webhook_url},
      {"http://[::1/", ErrorCode::bad_webhook_url},
      {"http://127.0.0.1:8080/", ErrorCode::webhook_target_refused},
      {"http://[::1]:8080/", ErrorCode::webhook_target_refused},
      {"http://[::ffff:127.0.0.1]/", ErrorCode::webhook_target_refused},
      {"http://0.0.0.0/", ErrorCode::webhook_target_refused},
      {"http://[::]/", ErrorCode::webhook_target_refused},
      {"http://169.254.169.254/latest/meta-data", ErrorCode::webhook_target_refused},
  };
  for (const auto& [url, code] : refused) {
    const auto p = check_target_url(url, policy);
    ASSERT_TRUE(p) << url;
    EXPECT_EQ(p->code, code) << url;
    EXPECT_EQ(p->status, 400) << url;
  }
}

TEST(WebhookSignature, MatchesTheStandardWebhooksTestVector) {
  const auto key = webhook_key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  ASSERT_TRUE(key);
  EXPECT_EQ(key->size(), 24u);
  EXPECT_EQ(standard_signature(*key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, R"({"test": 2432232314})"),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  // The same key and body, the Shelfsync scheme (computed with Node's crypto).
  EXPECT_EQ(shelfsync_signature(*key, 1614265330, R"({"test": 2432232314})"),
            "t=1614265330,v1=e96203c6de850e7dc1fde7489ef6140b402d3a5a64fe250cd2eef9830fac1cef");
}

TEST(WebhookSignature, SecretsAreWhsecBase64OfEnoughBytes) {
  const auto a = new_webhook_secret();
  const auto b = new_webhook_secret();
  EXPECT_NE(a, b);
  EXPECT_TRUE(a.starts_with("whsec_"));
  EXPECT_EQ(webhook_key(a)->size(), 24u);
  for (const char* bad : {"", "secret", "whsec_", "whsec_!!!!", "whsec_c2hvcnQ=", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"})
    EXPECT_FALSE(webhook_key(bad)) << bad;
  EXPECT_EQ(*base64_decode(base64_encode("a")), "a");
  EXPECT_EQ(*base64_decode(base64_encode("ab")), "ab");
  EXPECT_EQ(*base64_decode(base64_encode("abc")), "abc");
}

// A server on 127.0.0.1 answering each request with `answer(request)`;
// counts the requests it got.
class LocalServer {
 public:
  using Answer = std::function<http::response<http::string_body>(const http::request<http::string_body>&)>;
  explicit LocalServer(Answer answer)
      : answer_(std::move(answer)), acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this] {
      for (;;) {
        tcp::socket socket(io_);
        boost::system::error_code ec;
        acceptor_.accept(socket, ec);
        if (ec || stopping_) return;
        boost::beast::flat_buffer buffer;
        http::request<http::string_body> req;
        http::read(socket, buffer, req, ec);
        if (ec) continue;
        ++requests_;
        last_ = req;
        auto res = answer_(req);
        res.prepare_payload();
        http::write(socket, res, ec);
      }
    });
  }
  ~LocalServer() {
    stopping_ = true;
    boost::system::error_code ec;
    tcp::socket poke(io_);
    poke.connect(acceptor_.local_endpoint(), ec);  // wakes accept()
    thread_.join();
  }
  std::string url(const std::string& host = "127.0.0.1") const {
    return "http://" + host + ":" + std::to_string(acceptor_.local_endpoint().port()) + "/hook";
  }
  int requests() const { return requests_; }
  const http::request<http::string_body>& last() const { return last_; }

 private:
  Answer answer_;
  asio::io_context io_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> requests_{0};
  http::request<http::string_body> last_;
};

http::response<http::string_body> reply(http::status status, std::string body = "ok") {
  http::response<http::string_body> res{status, 11};
  res.body() = std::move(body);
  return res;
}

HttpLimits quick() {
  HttpLimits limits;
  limits.connect_timeout = std::chrono::milliseconds(2000);
  limits.total_timeout = std::chrono::milliseconds(3000);
  return limits;
}

TEST(HttpClient, PostsWithHeadersAndReadsTheAnswer) {
  LocalServer server([](const auto&) { return reply(http::status::accepted, "thanks"); });
  const HttpClient client(TargetPolicy({*Cidr::parse("127.0.0.0/8")}), quick());
  const auto a =
      client.post(server.url(), {{"Content-Type", "application/json"}, {"webhook-id", "h1_c5"}}, R"({"changes":[]})");
  EXPECT_EQ(a.status, 202) << a.error;
  EXPECT_TRUE(a.ok());
  EXPECT_EQ(a.body, "thanks");
  EXPECT_EQ(server.last().body(), R"({"changes":[]})");
  EXPECT_EQ(server.last()["webhook-id"], "h1_c5");
  EXPECT_EQ(server.last()[http::field::content_type], "application/json");
}

TEST(HttpClient, RefusesLoopbackByNameAndShorthandUnlessAllowed) {
  LocalServer server([](const auto&) { return reply(http::status::ok); });
  const HttpClient client(TargetPolicy(), quick());
  for (const char* host : {"127.0.0.1", "localhost", "127.1", "2130706433", "[::ffff:127.0.0.1]"}) {
    const auto a = client.post(server.url(host), {}, "{}");
    EXPECT_EQ(a.status, 0) << host;
    EXPECT_FALSE(a.ok()) << host;
    EXPECT_TRUE(a.refused) << host << ": " << a.error;
    EXPECT_NE(a.error.find("loopback"), std::string::npos) << a.error;
  }
  EXPECT_EQ(server.requests(), 0) << "a refused target is never called";
}

TEST(HttpClient, DoesNotFollowRedirects) {
  int hops = 0;
  LocalServer target([&](const auto&) {
    ++hops;
    return reply(http::status::ok);
  });
  LocalServer redirect([&](const auto&) {
    auto res = reply(http::status::found, "");
    res.set(http::field::location, target.url());
    return res;
  });
  const HttpClient client(TargetPolicy({*Cidr::parse("127.0.0.0/8")}), quick());
  const auto a = client.post(redirect.url(), {}, "{}");
  EXPECT_EQ(a.status, 302);
  EXPECT_FALSE(a.ok());
  EXPECT_EQ(target.requests(), 0);
}

TEST(HttpClient, BoundsTheAnswerAndTheTime) {
  LocalServer big([](const auto&) { return reply(http::status::ok, std::string(200000, 'x')); });
  HttpLimits limits = quick();
  limits.max_answer = 1000;
  const HttpClient client(TargetPolicy({*Cidr::parse("127.0.0.0/8")}), limits);
  const auto a = client.post(big.url(), {}, "{}");
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.body.size(), 1000u);
  EXPECT_NE(a.error.find("cut short"), std::string::npos);

  // A server that accepts and never answers: the total timeout ends it.
  asio::io_context io;
  tcp::acceptor silent(io, {asio::ip::make_address("127.0.0.1"), 0});
  HttpLimits fast = quick();
  fast.total_timeout = std::chrono::milliseconds(300);
  const HttpClient impatient(TargetPolicy({*Cidr::parse("127.0.0.0/8")}), fast);
  const auto t = impatient.post("http://127.0.0.1:" + std::to_string(silent.local_endpoint().port()) + "/", {}, "{}");
  EXPECT_EQ(t.status, 0);
  EXPECT_FALSE(t.error.empty());
  EXPECT_LT(t.duration_ms, 3000);
}

}  // namespace
}  // namespace shelfsync
