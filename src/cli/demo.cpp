// `shelfsync demo`: a tenant "demo" with a realistic catalog, and the URLs
// of the four pages with ready keys.

#include <iostream>

#include "auth/tenant_admin.hpp"
#include "catalog/media_files.hpp"
#include "catalog/record_service.hpp"
#include "commerce/stock_ledger.hpp"
#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/demo_catalog.hpp"
#include "cli/options.hpp"
#include "store/store.hpp"

namespace shelfsync::cli {
namespace {

constexpr const char* kDemoTenant = "demo";

// Creates each document unless a record with its id exists, so running demo
// twice changes nothing.
int create_all(RecordService& records, const Principal& admin, std::string_view collection,
               const std::vector<boost::json::object>& docs) {
  const auto* c = find_collection(collection);
  int created = 0;
  for (const auto& doc : docs) {
    auto r = records.create(admin, *c, doc, {std::nullopt, "demo"});
    if (r) {
      ++created;
    } else if (r.problem().code != "already_exists") {
      throw std::runtime_error("demo " + std::string(collection) + ": " + r.problem().detail);
    }
  }
  return created;
}

}  // namespace

int run_demo(int argc, char** argv) {
  Args args(argc, argv, 2, {.values = {"db", "url", "media"}, .booleans = {}, .max_positional = 0});
  const auto db = args.require("db");
  const auto base = args.get_or("url", "http://127.0.0.1:8080");
  auto store = open_store(db);

  auto tenant = create_tenant(*store, "Demo Shop", "USD", kDemoTenant);
  std::string admin_token, public_token;
  if (tenant) {
    admin_token = tenant->admin_token;
    public_token = tenant->public_token;
  } else {
    // Already there: keep the data, hand out fresh keys (old ones stay valid).
    auto a = issue_token(*store, kDemoTenant, Role::admin);
    auto p = issue_token(*store, kDemoTenant, Role::public_);
    if (!a || !p) throw std::runtime_error("cannot issue demo tokens");
    admin_token = *a;
    public_token = *p;
  }
  auto staff = issue_token(*store, kDemoTenant, Role::staff);
  if (!staff) throw std::runtime_error("cannot issue the demo staff token");

  const auto catalog = make_demo_catalog(20261122, now_ms());
  const auto media = media_dir_for(args, db);
  for (const auto& [file, bytes] : catalog.files) write_media_file(media, kDemoTenant, file, bytes);

  RecordService records(*store);
  install_stock_ledger(records);
  const Principal admin{kDemoTenant, "USD", Role::admin, {}, "system"};
  const int n = create_all(records, admin, "categories", catalog.categories) +
                create_all(records, admin, "brands", catalog.brands) +
                create_all(records, admin, "units", catalog.units) +
                create_all(records, admin, "products", catalog.products);
  std::cerr << "demo: " << n << " records created in tenant '" << kDemoTenant << "'\n";
  std::cout << "Demo shop ready. Open (after `shelfsync serve`):\n"
            << "  shop       " << base << "/shop?key=" << public_token << "\n"
            << "  admin      " << base << "/admin?key=" << admin_token << "\n"
            << "  pos        " << base << "/pos?key=" << staff.value() << "\n"
            << "  dashboard  " << base << "/dashboard?key=" << admin_token << "\n"
            << "API keys: admin " << admin_token << "  public " << public_token << std::endl;
  return 0;
}

}  // namespace shelfsync::cli
