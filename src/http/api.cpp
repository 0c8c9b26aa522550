#include "http/api.hpp"

#include "commerce/stock_ledger.hpp"

namespace shelfsync {

ApiContext::ApiContext(Store& s, std::string media)
    : store(s), records(s), orders(s), bills(s), stock(s), media_dir(std::move(media)) {
  install_stock_ledger(records);
}

bool is_upload_path(std::string_view method, std::string_view path) {
  return method == "POST" && path.starts_with("/api/products/") && path.ends_with("/images");
}

Router make_api_router(ApiContext& ctx) {
  Router router;
  add_health_routes(router, ctx);
  add_metrics_routes(router, ctx);
  add_shop_info_routes(router, ctx);
  add_record_routes(router, ctx);
  add_image_routes(router, ctx);
  add_media_routes(router, ctx);
  add_sync_routes(router, ctx);
  add_commerce_routes(router, ctx);
  add_bill_routes(router, ctx);
  add_stock_routes(router, ctx);
  add_stats_routes(router, ctx);
  add_webhook_routes(router, ctx);
  add_publish_routes(router, ctx);
  add_page_routes(router, ctx);
  return router;
}

}  // namespace shelfsync
