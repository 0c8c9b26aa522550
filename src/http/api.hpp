#pragma once
// Everything the REST handlers share, and the router that holds them.

#include <functional>
#include <string>

#include "catalog/record_service.hpp"
#include "commerce/bill_service.hpp"
#include "commerce/order_service.hpp"
#include "commerce/stock_service.hpp"
#include "http/request_metrics.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace shelfsync {

class ChangeWaiters;
class Hub;
class StatsPublisher;
class WebhookService;
class PublishService;

struct ApiContext {
  Store& store;
  RecordService records;  // with the stock ledger installed
  OrderService orders;
  BillService bills;
  StockService stock;
  std::string media_dir;             // uploaded image bytes live here, one folder per tenant
  ChangeWaiters* waiters = nullptr;  // long polls; null: `wait` unsupported
  // Runs `work` on the handler pool and gives `respond` its answer; one
  // that throws answers as any failed handler does (503 while the database
  // is away), so a deferred request is always answered.
  std::function<void(std::function<Response()> work, Respond respond)> post_work;
  Hub* hub = nullptr;                  // live subscriptions; null: /api/live and /api/stream answer 404
  StatsPublisher* stats = nullptr;     // the `stats` records; null: not published
  WebhookService* webhooks = nullptr;  // null: /api/webhooks answers 404
  PublishService* publish = nullptr;   // null: /api/topics and /api/publish answer 404
  RequestMetrics requests;             // filled by the HTTP server, shown on /metrics

  ApiContext(Store& s, std::string media);
};

// Image uploads take a larger body than JSON (EdgeLimits). Their caller is
// checked from the head alone, before that body is read; admit_upload blocks
// on the store (call it from a worker).
bool is_upload_path(std::string_view method, std::string_view path);
std::optional<Problem> admit_upload(const Request& head, ApiContext& ctx);

Router make_api_router(ApiContext& ctx);

void add_health_routes(Router& router, ApiContext& ctx);
void add_shop_info_routes(Router& router, ApiContext& ctx);
void add_record_routes(Router& router, ApiContext& ctx);
void add_image_routes(Router& router, ApiContext& ctx);
void add_media_routes(Router& router, ApiContext& ctx);
void add_sync_routes(Router& router, ApiContext& ctx);
void add_metrics_routes(Router& router, ApiContext& ctx);
void add_commerce_routes(Router& router, ApiContext& ctx);
void add_bill_routes(Router& router, ApiContext& ctx);
void add_stock_routes(Router& router, ApiContext& ctx);
void add_stats_routes(Router& router, ApiContext& ctx);
void add_webhook_routes(Router& router, ApiContext& ctx);
void add_publish_routes(Router& router, ApiContext& ctx);
void add_page_routes(Router& router, ApiContext& ctx);  // web pages, from the binary

}  // namespace shelfsync
