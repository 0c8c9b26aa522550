#include "domain/figures.hpp"

#include <algorithm>
#include <tuple>

#include <boost/json/array.hpp>

#include "domain/json_util.hpp"
#include "domain/pricing.hpp"
#include "domain/product.hpp"

namespace shelfsync {

namespace json = boost::json;

namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const auto q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

std::int64_t int_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_int64() ? v->as_int64() : 0;
}

std::optional<Millis> time_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return parse_rfc3339(v->as_string());
}

// When the order was placed: its first status entry.
std::optional<Millis> placed_at(const json::object& order) {
  const auto* history = order.if_contains("status_history");
  if (!history || !history->is_array() || history->as_array().empty()) return std::nullopt;
  const auto& first = history->as_array().front();
  if (!first.is_object()) return std::nullopt;
  return time_of(first.as_object(), "at");
}

void order_rows(const json::object& order, std::vector<FigureDelta>& out) {
  const auto at = placed_at(order);
  if (!at) return;
  const auto quarter = quarter_of(*at);
  if (string_or_empty(order, "status") == "cancelled") {
    out.push_back({std::string(series::kOrders), quarter, "", {0, 0, 0, 1, 0}});
    return;
  }
  std::int64_t items = 0;
  if (const auto* lines = order.if_contains("items"); lines && lines->is_array())
    for (const auto& line : lines->as_array()) {
      if (!line.is_object()) continue;
      const auto& item = line.as_object();
      const auto qty = int_of(item, "qty");
      const auto revenue = int_of(item, "line_total");
      const std::string product(string_or_empty(item, "product_id"));
      items += qty;
      out.push_back({std::string(series::kProductQuarters), quarter, product, {qty, revenue}});
      out.push_back({std::string(series::kProductDays), day_of(*at), product, {qty, revenue}});
    }
  out.push_back({std::string(series::kOrders), quarter, "", {1, int_of(order, "total"), items, 0}});
}

void bill_rows(const json::object& bill, std::vector<FigureDelta>& out) {
  const auto status = string_or_empty(bill, "status");
  if (status != "unpaid" && status != "partially_paid") return;
  const auto due = time_of(bill, "due_at");
  out.push_back({std::string(series::kOpenBills),
                 due ? *due : kNoDue,
                 "",
                 {1, int_of(bill, "amount") - int_of(bill, "paid_amount")}});
}

void product_rows(const json::object& doc, Millis at, std::vector<FigureDelta>& out) {
  const Product p = read_pricing_fields(doc);
  const auto stock = stock_status(p);
  out.push_back({std::string(series::kStock),
                 0,
                 "",
                 {1, p.status == ProductStatus::active, stock == StockStatus::low_stock, stock == StockStatus::sold_out,
                  on_sale(p, at)}});
}

}  // namespace

std::int64_t quarter_of(Millis ms) { return floor_div(ms, kQuarterMs); }
std::int64_t day_of(Millis ms) { return floor_div(ms, kDayMs); }

std::vector<FigureDelta> figure_contributions(std::string_view entity, const json::object& doc, Millis at) {
  std::vector<FigureDelta> out;
  if (entity == "orders")
    order_rows(doc, out);
  else if (entity == "bills")
    bill_rows(doc, out);
  else if (entity == "products")
    product_rows(doc, at, out);
  return out;
}

std::vector<FigureDelta> figure_changes(std::string_view entity, const json::object* before, Millis before_at,
                                        const json::object* after, Millis after_at) {
  std::vector<FigureDelta> rows;
  if (after) rows = figure_contributions(entity, *after, after_at);
  if (before)
    for (auto row : figure_contributions(entity, *before, before_at)) {
      for (auto& v : row.values) v = -v;
      rows.push_back(std::move(row));
    }
  const auto id = [](const FigureDelta& d) { return std::tie(d.series, d.bucket, d.key); };
  std::stable_sort(rows.begin(), rows.end(), [&](const FigureDelta& a, const FigureDelta& b) { return id(a) < id(b); });
  std::vector<FigureDelta> out;
  for (auto& row : rows) {
    if (!out.empty() && id(out.back()) == id(row)) {
      for (std::size_t i = 0; i < kFigureWidth; ++i) out.back().values[i] += row.values[i];
    } else {
      out.push_back(std::move(row));
    }
  }
  std::erase_if(out, [](const FigureDelta& d) {
    return std::all_of(d.values.begin(), d.values.end(), [](std::int64_t v) { return v == 0; });
  });
  return out;
}

}  // namespace shelfsync
