// `tenant create` and `token create|revoke`.

#include <iostream>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "auth/tenant_admin.hpp"
#include "auth/tokens.hpp"
#include "catalog/record_service.hpp"
#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "domain/collection.hpp"
#include "store/store.hpp"

namespace shelfsync::cli {
namespace {

int fail(const Problem& p) {
  std::cerr << "error: " << p.detail << "\n";
  return 1;
}

// A customer token's customer must exist; make a placeholder one if not.
std::optional<Problem> ensure_customer(Store& store, const std::string& tenant_id, const std::string& customer_id) {
  const auto tenant = store.tenant(tenant_id);
  if (!tenant) return Problem::not_found("no tenant '" + tenant_id + "'");
  const auto* customers = find_collection("customers");
  RecordService records(store);
  const Principal admin{tenant->id, tenant->currency, Role::admin, {}, "system"};
  if (records.get(admin, *customers, customer_id)) return std::nullopt;
  auto created =
      records.create(admin, *customers,
                     {{"id", customer_id}, {"name", customer_id}, {"email", customer_id + "@customers.invalid"}}, {});
  if (!created && created.problem().code != ErrorCode::already_exists) return created.problem();
  return std::nullopt;
}

}  // namespace

int run_tenant(int argc, char** argv) {
  if (argc < 3 || std::string(argv[2]) != "create") throw std::invalid_argument("expected: tenant create NAME");
  Args args(argc, argv, 3, {.values = {"db", "currency"}, .booleans = {"json"}, .max_positional = 1});
  if (args.positional().empty()) throw std::invalid_argument("tenant create needs a NAME");
  auto store = open_store(args.require("db"));
  auto made = create_tenant(*store, args.positional()[0], args.get_or("currency", "USD"));
  if (!made) return fail(made.problem());
  if (args.has("json")) {
    std::cout << boost::json::serialize(boost::json::object{{"tenant", made->tenant},
                                                            {"admin_token", made->admin_token},
                                                            {"public_token", made->public_token}})
              << std::endl;
  } else {
    std::cout << "tenant:       " << made->tenant << "\nadmin token:  " << made->admin_token
              << "\npublic token: " << made->public_token << std::endl;
  }
  return 0;
}

int run_token(int argc, char** argv) {
  if (argc < 3) throw std::invalid_argument("expected: token create|revoke");
  const std::string action = argv[2];
  Args args(argc, argv, 3,
            {.values = {"db", "token", "tenant", "role", "customer"}, .booleans = {"json"}, .max_positional = 0});
  auto store = open_store(args.require("db"));
  if (action == "revoke") {
    if (auto p = revoke(*store, args.require("token"))) return fail(*p);
    std::cout << "revoked" << std::endl;
    return 0;
  }
  if (action != "create") throw std::invalid_argument("expected: token create|revoke");
  const auto tenant = args.require("tenant");
  const auto role = parse_role(args.require("role"));
  if (!role) throw std::invalid_argument("--role must be admin, staff, customer, service or public");
  const auto customer = args.get_or("customer", "");
  if (!customer.empty()) {
    if (*role != Role::customer) throw std::invalid_argument("--customer goes with --role customer");
    if (auto p = ensure_customer(*store, tenant, customer)) return fail(*p);
  }
  auto token = issue_token(*store, tenant, *role, customer);
  if (!token) return fail(token.problem());
  if (args.has("json")) {
    boost::json::object out{{"token", *token}};
    if (!customer.empty()) out["customer_id"] = customer;
    std::cout << boost::json::serialize(out) << std::endl;
  } else {
    std::cout << *token << std::endl;
  }
  return 0;
}

}  // namespace shelfsync::cli
