// `shelfsync demo`: a tenant "demo" with a realistic catalog, customers and
// a month of history, and the URLs of every page with ready keys.

#include <iostream>

#include "auth/tenant_admin.hpp"
#include "catalog/media_files.hpp"
#include "catalog/record_service.hpp"
#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/demo_catalog.hpp"
#include "cli/demo_history.hpp"
#include "cli/demo_history_plan.hpp"
#include "cli/options.hpp"
#include "commerce/stock_ledger.hpp"
#include "store/store.hpp"

namespace shelfsync::cli {
namespace {

constexpr const char* kDemoTenant = "demo";
constexpr std::uint64_t kHistorySeed = 20261122;

std::string issue(Store& store, Role role, std::string_view customer_id = {}) {
  auto token = issue_token(store, kDemoTenant, role, std::string(customer_id));
  if (!token) throw std::runtime_error("cannot issue a demo token: " + token.problem().detail);
  return *token;
}

Principal principal_of(Store& store, const std::string& token) {
  auto who = authenticate(store, token);
  if (!who) throw std::runtime_error("a demo token does not authenticate");
  return *who;
}

// Writes the month of history unless the tenant has one; a second run adds
// nothing.
void write_history(Store& store, const DemoActors& base, Millis now) {
  if (has_history(store, kDemoTenant)) {
    std::cerr << "demo: tenant '" << kDemoTenant << "' already has orders; its history is kept as it is\n";
    return;
  }
  DemoActors actors = base;
  for (const auto& c : demo_customers())
    actors.customers.push_back(principal_of(store, issue(store, Role::customer, std::string(c.at("id").as_string()))));
  const auto n = write_demo_history(store, actors, kHistorySeed, now);
  std::cerr << "demo: " << demo::kHistoryDays << " days of history: " << n.orders << " orders (" << n.refused
            << " refused at checkout), " << n.transitions << " status changes, " << n.payments << " payments, "
            << n.bills << " invoices, " << n.stock_changes << " stock changes\n";
}

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
    } else if (r.problem().code != ErrorCode::already_exists) {
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
  const auto staff = issue(*store, Role::staff);
  const auto service = issue(*store, Role::service);

  const Millis now = now_ms();
  const auto catalog = make_demo_catalog(20261122, now);
  const auto media = media_dir_for(args, db);
  for (const auto& [file, bytes] : catalog.files) write_media_file(media, kDemoTenant, file, bytes);

  RecordService records(*store);
  install_stock_ledger(records);
  const Principal admin{kDemoTenant, "USD", Role::admin, {}, "system"};
  int n = 0;
  {
    // Made a day before the history starts, so its orders find the shop open.
    BackDated before_history(-(demo::kHistoryDays + 1) * demo::kDay);
    n = create_all(records, admin, "categories", catalog.categories) +
        create_all(records, admin, "brands", catalog.brands) + create_all(records, admin, "units", catalog.units) +
        create_all(records, admin, "products", catalog.products) +
        create_all(records, admin, "customers", demo_customers());
  }
  std::cerr << "demo: " << n << " records created in tenant '" << kDemoTenant << "'\n";
  write_history(*store,
                {principal_of(*store, admin_token),
                 principal_of(*store, staff),
                 principal_of(*store, service),
                 principal_of(*store, public_token),
                 {}},
                now);
  // Portal keys: one for a shopper, one for a partner business.
  const auto retail = issue(*store, Role::customer, kDemoRetailCustomer);
  const auto partner = issue(*store, Role::customer, kDemoPartnerCustomer);
  std::cout << "Demo shop ready. Open (after `shelfsync serve`):\n"
            << "  shop       " << base << "/shop?key=" << public_token << "\n"
            << "  admin      " << base << "/admin?key=" << admin_token << "\n"
            << "  pos        " << base << "/pos?key=" << staff << "\n"
            << "  dashboard  " << base << "/dashboard?key=" << admin_token << "\n"
            << "  portal     " << base << "/portal?key=" << retail << "  (retail customer " << kDemoRetailCustomer
            << ")\n"
            << "  portal     " << base << "/portal?key=" << partner << "  (partner " << kDemoPartnerCustomer << ")\n"
            << "API keys: admin " << admin_token << "  public " << public_token << "  staff " << staff << "  service "
            << service << std::endl;
  return 0;
}

}  // namespace shelfsync::cli
