#include <chrono>
#include <iostream>
#include <optional>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "commerce/sale_timer.hpp"
#include "commerce/stats_publisher.hpp"
#include "domain/time.hpp"
#include "feed/change_waiters.hpp"
#include "feed/hub.hpp"
#include "feed/retention.hpp"
#include "http/api.hpp"
#include "http/server.hpp"
#include "integrations/dispatcher.hpp"
#include "integrations/http_client.hpp"
#include "integrations/publish_service.hpp"
#include "integrations/webhook_service.hpp"
#include "live/token_recheck.hpp"
#include "store/store.hpp"
#include "util/periodic_thread.hpp"

namespace shelfsync::cli {

namespace {

const ArgSpec kServeFlags{
    .values = {"db", "listen", "media", "workers", "io-threads", "live-io-threads", "retention", "purge-interval",
               "token-recheck", "clock-offset",
               // the edge limits (docs/api.md "Limits")
               "idle-timeout", "head-timeout", "request-timeout", "max-body", "max-upload", "max-connections-per-ip",
               "max-live-per-token", "rate-limit", "token-rate-limit", "trusted-proxy", "cors-origin",
               "max-subscriptions", "max-filter-ids", "max-ws-message",
               // webhooks (docs/api.md "Webhooks")
               "webhook-allow", "webhook-ca-file", "webhook-workers", "webhook-backoff-ms", "webhook-pause-after"},
    .booleans = {},
    .max_positional = 0,
};

long number(const Args& args, const std::string& name, long fallback, long min, long max) {
  const auto text = args.get(name);
  if (!text) return fallback;
  std::size_t used = 0;
  long v = 0;
  try {
    v = std::stol(*text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text->size() || v < min || v > max)
    throw std::invalid_argument("--" + name + " must be a whole number from " + std::to_string(min) + " to " +
                                std::to_string(max));
  return v;
}

EdgeLimits edge_limits(const Args& args) {
  EdgeLimits l;
  auto seconds = [&](const char* name, std::chrono::seconds fallback) {
    return std::chrono::seconds(number(args, name, fallback.count(), 1, 86400));
  };
  l.idle_timeout = seconds("idle-timeout", l.idle_timeout);
  l.head_timeout = seconds("head-timeout", l.head_timeout);
  l.request_timeout = seconds("request-timeout", l.request_timeout);
  l.json_body_limit =
      static_cast<std::size_t>(number(args, "max-body", static_cast<long>(l.json_body_limit), 1024, 1L << 30));
  l.upload_body_limit =
      static_cast<std::size_t>(number(args, "max-upload", static_cast<long>(l.upload_body_limit), 1024, 1L << 30));
  l.max_connections_per_ip =
      static_cast<int>(number(args, "max-connections-per-ip", l.max_connections_per_ip, 0, 1'000'000));
  l.max_live_per_token = static_cast<int>(number(args, "max-live-per-token", l.max_live_per_token, 0, 1'000'000));
  l.rate_per_ip = static_cast<double>(number(args, "rate-limit", static_cast<long>(l.rate_per_ip), 0, 1'000'000));
  l.rate_per_token =
      static_cast<double>(number(args, "token-rate-limit", static_cast<long>(l.rate_per_token), 0, 1'000'000));
  for (const auto& text : args.get_all("trusted-proxy")) {
    auto cidr = Cidr::parse(text);
    if (!cidr) throw std::invalid_argument("--trusted-proxy '" + text + "' is not an address or CIDR");
    l.trusted_proxies.push_back(*cidr);
  }
  l.cors_origins = args.get_all("cors-origin");
  return l;
}

HubOptions live_limits(const Args& args) {
  HubOptions o;
  o.max_subscriptions =
      static_cast<std::size_t>(number(args, "max-subscriptions", static_cast<long>(o.max_subscriptions), 1, 100'000));
  o.max_filter_ids = static_cast<std::size_t>(
      number(args, "max-filter-ids", static_cast<long>(o.max_filter_ids), 1, static_cast<long>(kMaxFilterIds)));
  o.max_ws_message =
      static_cast<std::size_t>(number(args, "max-ws-message", static_cast<long>(o.max_ws_message), 1024, 16L << 20));
  return o;
}

TargetPolicy webhook_policy(const Args& args) {
  std::vector<Cidr> allowed;
  for (const auto& text : args.get_all("webhook-allow")) {
    auto cidr = Cidr::parse(text);
    if (!cidr) throw std::invalid_argument("--webhook-allow '" + text + "' is not an address or CIDR");
    allowed.push_back(*cidr);
  }
  return TargetPolicy(std::move(allowed));
}

DispatcherOptions webhook_options(const Args& args) {
  DispatcherOptions o;
  o.workers = static_cast<std::size_t>(number(args, "webhook-workers", static_cast<long>(o.workers), 1, 256));
  o.backoff_min = std::chrono::milliseconds(
      number(args, "webhook-backoff-ms", static_cast<long>(o.backoff_min.count()), 1, 3'600'000));
  o.pause_after = number(args, "webhook-pause-after", o.pause_after, 1, 1000);
  return o;
}

}  // namespace

int run_serve(int argc, char** argv) {
  Args args(argc, argv, 2, kServeFlags);
  const auto db = args.require("db");
  ServerOptions options;
  const auto listen = args.get_or("listen", "127.0.0.1:8080");
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw std::invalid_argument("--listen needs HOST:PORT");
  options.host = listen.substr(0, colon);
  options.port = static_cast<std::uint16_t>(std::stoi(listen.substr(colon + 1)));
  options.workers = static_cast<int>(number(args, "workers", 64, 1, 4096));
  options.io_threads = static_cast<int>(number(args, "io-threads", 2, 1, 256));
  options.live_io_threads = static_cast<int>(number(args, "live-io-threads", 2, 1, 256));
  options.limits = edge_limits(args);
  auto hub_options = live_limits(args);

  const auto retention = std::chrono::seconds(number(args, "retention", 604800, 1, 1L << 40));
  const auto purge_interval = std::chrono::seconds(number(args, "purge-interval", 60, 1, 1L << 30));
  // How often open live connections check that their token is not revoked.
  const auto token_recheck = std::chrono::seconds(number(args, "token-recheck", 5, 1, 86400));

  // Tests put the server's clock just before a shop's midnight with this.
  set_clock_offset(number(args, "clock-offset", 0, -(1L << 40), 1L << 40));

  auto store = open_store(db);
  ChangeWaiters waiters(*store);
  RetentionJob retention_job(*store, retention, purge_interval);
  ApiContext ctx(*store, media_dir_for(args, db));
  ctx.waiters = &waiters;
  const auto router = make_api_router(ctx);
  HttpServer server(options, router);
  ctx.post_work = [&server](std::function<Response()> work, Respond respond) {
    server.post_work(std::move(work), std::move(respond));
  };
  // The hub's store calls (snapshots, replays) get threads of their own, so
  // a burst of subscribers never starves request handlers, and the pool
  // outlives the hub, which waits for its calls when it is destroyed.
  boost::asio::thread_pool live_workers(4);
  // The shop's figures are written to its log once someone follows them.
  StatsPublisher stats_publisher(*store);
  ctx.stats = &stats_publisher;
  hub_options.on_subscribe = [&stats_publisher](const std::string& tenant, std::string_view topic) {
    if (topic == "stats") stats_publisher.follow(tenant);
  };
  Hub hub(
      *store, [&live_workers](std::function<void()> work) { boost::asio::post(live_workers, std::move(work)); },
      hub_options);
  ctx.hub = &hub;
  // Webhooks: each hook a reader of the log, delivered by its own threads.
  HttpLimits http_limits;
  http_limits.ca_file = args.get_or("webhook-ca-file", "");
  const HttpClient webhook_http(webhook_policy(args), http_limits);
  WebhookDispatcher webhooks(*store, webhook_http, webhook_options(args));
  webhooks.listen();
  WebhookService webhook_service(*store, webhook_policy(args), &webhooks);
  ctx.webhooks = &webhook_service;
  // Publish topics: the shops' declared topics are readable from the start.
  PublishService publish(*store);
  publish.load();
  ctx.publish = &publish;
  // Several nodes: a topic declared (or its readers changed) through another
  // node is known here within a second.
  std::optional<PeriodicThread> topic_reload;
  if (store->backend_name() == "postgres")
    topic_reload.emplace("topic-reload", std::chrono::seconds(1), [&publish] { publish.load(); });
  SaleTimer sale_timer(*store);
  webhooks.start();
  server.enable_live(ctx);
  live::TokenRecheck recheck(*store, server.live_sessions(), token_recheck);
  const auto port = server.listen();
  std::cout << "listening on http://" << options.host << ":" << port << std::endl;
  server.run();
  std::cerr << "shelfsync: stopped\n";
  return 0;
}

}  // namespace shelfsync::cli
