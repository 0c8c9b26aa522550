#include "integrations/http_client.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <mutex>

#include <curl/curl.h>

namespace shelfsync {
namespace {

void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Call {
  const TargetPolicy* policy;
  std::size_t max_answer;
  std::string body;
  bool truncated = false;
  std::string refusal;  // set by open_socket when it refused an address
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* call = static_cast<Call*>(user);
  const auto n = size * count;
  const auto room = call->max_answer - std::min(call->max_answer, call->body.size());
  call->body.append(data, std::min(n, room));
  if (n > room) {
    call->truncated = true;
    return 0;  // ends the transfer: the rest is not read
  }
  return n;
}

// libcurl asks for each socket it is about to connect: the address is
// judged here, after DNS and before any byte leaves.
curl_socket_t open_socket(void* user, curlsocktype purpose, curl_sockaddr* address) {
  auto* call = static_cast<Call*>(user);
  IpBytes ip{};
  if (address->family == AF_INET) {
    sockaddr_in v4{};
    std::memcpy(&v4, &address->addr, sizeof v4);
    ip[10] = ip[11] = 0xff;
    std::memcpy(ip.data() + 12, &v4.sin_addr, 4);
  } else if (address->family == AF_INET6) {
    sockaddr_in6 v6{};
    std::memcpy(&v6, &address->addr, sizeof v6);
    std::memcpy(ip.data(), &v6.sin6_addr, 16);
  } else {
    call->refusal = "an address that is neither IPv4 nor IPv6";
    return CURL_SOCKET_BAD;
  }
  if (auto why = call->policy->refusal(ip)) {
    call->refusal = "the target resolves to a " + *why + " address (" + format_ip(ip) +
                    "), which this server does not call unless allowed by serve --webhook-allow";
    return CURL_SOCKET_BAD;
  }
  return ::socket(address->family, address->socktype, address->protocol);
}

}  // namespace

HttpClient::HttpClient(TargetPolicy policy, HttpLimits limits)
    : policy_(std::move(policy)), limits_(std::move(limits)) {
  init_curl_once();
}

HttpClient::~HttpClient() = default;

HttpAnswer HttpClient::post(const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
                            const std::string& body) const {
  HttpAnswer out;
  Call call{&policy_, limits_.max_answer, {}, false, {}};
  // One handle per thread, reset between calls: it keeps its connections
  // open (keep-alive) for the next call to the same receiver.
  thread_local std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) {
    out.error = "could not start an HTTP request";
    return out;
  }
  curl_easy_reset(curl.get());
  curl_slist* list = nullptr;
  for (const auto& [name, value] : headers) list = curl_slist_append(list, (name + ": " + value).c_str());
  list = curl_slist_append(list, "Expect:");  // no 100-continue round trip
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(list, &curl_slist_free_all);
  char error[CURL_ERROR_SIZE] = {};
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_PROXY, "");  // never a proxy from the environment
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(limits_.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(limits_.total_timeout.count()));
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, header_list.get());
  curl_easy_setopt(h, CURLOPT_USERAGENT, "Shelfsync-Webhooks/" SHELFSYNC_VERSION);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &call);
  curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, &open_socket);
  curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &call);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  if (!limits_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, limits_.ca_file.c_str());
  const auto started = std::chrono::steady_clock::now();
  const CURLcode code = curl_easy_perform(h);
  out.duration_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  out.status = static_cast<int>(status);
  out.body = std::move(call.body);
  if (!call.refusal.empty()) {
    out.refused = true;
    out.status = 0;
    out.error = call.refusal;
  } else if (code == CURLE_WRITE_ERROR && call.truncated) {
    // The status came with the headers; only the body was cut short.
    out.error = "the answer's body was longer than " + std::to_string(limits_.max_answer) + " bytes: cut short";
  } else if (code != CURLE_OK) {
    out.status = 0;
    out.error = error[0] ? error : curl_easy_strerror(code);
  }
  return out;
}

}  // namespace shelfsync
