#include "domain/pricing.hpp"

#include <algorithm>

namespace shelfsync {

namespace {

StockStatus status_for(const Product& product, std::int64_t stock) {
  if (!product.track_inventory) return StockStatus::in_stock;
  if (stock <= 0) return StockStatus::sold_out;
  if (stock <= product.low_stock_threshold) return StockStatus::low_stock;
  return StockStatus::in_stock;
}

}  // namespace

std::string_view to_string(StockStatus status) {
  switch (status) {
    case StockStatus::in_stock:
      return "in_stock";
    case StockStatus::low_stock:
      return "low_stock";
    case StockStatus::sold_out:
      return "sold_out";
  }
  return "in_stock";
}

bool sale_active(const Sale& sale, Millis now) {
  if (sale.starts_at && now < *sale.starts_at) return false;
  if (sale.ends_at && now >= *sale.ends_at) return false;
  if (sale.stock_limit && sale.sold >= *sale.stock_limit) return false;
  return true;
}

std::int64_t sale_price(std::int64_t base, const Sale& sale) {
  std::int64_t price = base;
  switch (sale.kind) {
    case SaleKind::percent: {
      const std::int64_t pct = std::clamp<std::int64_t>(sale.value, 0, 100);
      // Half up; base is ≤ 10^12 so base * 100 cannot overflow.
      price = (base * (100 - pct) + 50) / 100;
      break;
    }
    case SaleKind::amount:
      price = base - sale.value;
      break;
    case SaleKind::fixed_price:
      price = sale.value;
      break;
  }
  return std::max<std::int64_t>(price, 0);
}

bool on_sale(const Product& product, Millis now) { return product.sale && sale_active(*product.sale, now); }

std::int64_t price_now(const Product& product, Millis now) {
  return on_sale(product, now) ? sale_price(product.price, *product.sale) : product.price;
}

std::int64_t price_now(const Product& product, const Variant& variant, Millis now) {
  const std::int64_t base = variant.price.value_or(product.price);
  return on_sale(product, now) ? sale_price(base, *product.sale) : base;
}

std::int64_t stock_total(const Product& product) {
  std::int64_t total = 0;
  for (const Variant& v : product.variants)
    if (v.available) total += v.stock;
  return total;
}

StockStatus stock_status(const Product& product) { return status_for(product, stock_total(product)); }

StockStatus stock_status(const Product& product, const Variant& variant) {
  if (!variant.available) return StockStatus::sold_out;
  return status_for(product, variant.stock);
}

std::optional<Millis> next_sale_transition(const Product& product, Millis now) {
  if (!product.sale) return std::nullopt;
  std::optional<Millis> next;
  for (const auto& at : {product.sale->starts_at, product.sale->ends_at})
    if (at && *at > now && (!next || *at < *next)) next = *at;
  return next;
}

}  // namespace shelfsync
