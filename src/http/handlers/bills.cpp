// POST /api/bills, POST /api/bills/{id}/pay, POST /api/bills/{id}/void
// (SPEC §5). Reading bills is the generic GET /api/bills.

#include "commerce/bill_service.hpp"
#include "domain/collection.hpp"
#include "http/handlers/commerce_common.hpp"
#include "http/handlers/common.hpp"
#include "http/problem_response.hpp"

namespace shelfsync {
namespace {

namespace json = boost::json;

// Who may do what to bills (SPEC §5).
bool may_bill(Role role) { return role == Role::admin || role == Role::staff; }
bool may_take_payment(Role role) { return may_bill(role) || role == Role::service; }

struct Call {
  Principal who;
  IdempotentRequest idempotency;
  BillCall bill;
  json::object body;
};

// Authenticates, checks the role, reads the bill id, If-Match, the key and
// the JSON body (an empty body is an empty object where `body_optional`).
Result<Call> begin(Request& req, ApiContext& ctx, bool (*allowed)(Role), std::string_view what, int status,
                   bool body_optional) {
  auto who = authenticate_request(req, ctx);
  if (!who) return who.problem();
  if (!allowed(who->role))
    return Problem::forbidden("a " + std::string(to_string(who->role)) + " token may not " + std::string(what));
  if (!req.params.empty())
    if (auto p = check_id(req.params[0])) return *p;
  auto if_match = parse_if_match(req);
  if (!if_match) return if_match.problem();
  auto idempotency = idempotency_of(req, *who, status);
  if (!idempotency) return idempotency.problem();
  json::object body;
  if (!body_optional || !req.body.empty()) {
    auto parsed = json_body(req);
    if (!parsed) return parsed.problem();
    body = std::move(*parsed);
  }
  Call call{std::move(*who), std::move(*idempotency), {}, std::move(body)};
  call.bill = BillCall{*if_match, mutation_meta(req, std::nullopt).origin, nullptr};
  return call;
}

Response answer(Request& req, int status, const Result<json::object>& bill, Call& call) {
  if (!bill) return problem_response(bill.problem());
  auto r = record_response(req, status, *bill, *find_collection("bills"));
  mark_replayed(r, call.idempotency);
  return r;
}

Response create(Request& req, ApiContext& ctx) {
  auto call = begin(req, ctx, may_bill, "create bills", 201, false);
  if (!call) return problem_response(call.problem());
  auto bill = decode_manual_bill(call->body);
  if (!bill) return problem_response(bill.problem());
  call->bill.idempotency = &call->idempotency;
  auto created = ctx.bills.create(call->who, *bill, call->bill);
  auto r = answer(req, 201, created, *call);
  if (created) r.set_header("Location", "/api/bills/" + std::string(created->at("id").as_string()));
  return r;
}

Response pay(Request& req, ApiContext& ctx) {
  auto call = begin(req, ctx, may_take_payment, "record payments", 200, false);
  if (!call) return problem_response(call.problem());
  auto payment = decode_payment(call->body);
  if (!payment) return problem_response(payment.problem());
  call->bill.idempotency = &call->idempotency;
  return answer(req, 200, ctx.bills.pay(call->who, req.params[0], *payment, call->bill), *call);
}

Response void_bill(Request& req, ApiContext& ctx) {
  auto call = begin(
      req, ctx, [](Role r) { return r == Role::admin; }, "void bills", 200, true);
  if (!call) return problem_response(call.problem());
  if (!call->body.empty()) return problem_response(Problem::validation({{"", "voiding a bill takes no body"}}));
  call->bill.idempotency = &call->idempotency;
  return answer(req, 200, ctx.bills.void_bill(call->who, req.params[0], call->bill), *call);
}

}  // namespace

void add_bill_routes(Router& router, ApiContext& ctx) {
  router.add("POST", "/api/bills", [&ctx](Request& r) { return create(r, ctx); });
  router.add("POST", "/api/bills/{id}/pay", [&ctx](Request& r) { return pay(r, ctx); });
  router.add("POST", "/api/bills/{id}/void", [&ctx](Request& r) { return void_bill(r, ctx); });
}

}  // namespace shelfsync
