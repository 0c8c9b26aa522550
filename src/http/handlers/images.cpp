// Product images: POST /api/products/{id}/images (bytes or a URL),
// DELETE /api/products/{id}/images/{image_id},
// PUT /api/products/{id}/images/order.

#include <boost/json/array.hpp>

#include "auth/access.hpp"
#include "catalog/media_files.hpp"
#include "domain/ids.hpp"
#include "domain/image_sniff.hpp"
#include "domain/json_util.hpp"
#include "http/handlers/common.hpp"
#include "http/problem_response.hpp"

namespace shelfsync {
namespace {

namespace json = boost::json;

struct ProductCall {
  Principal who;
  const Collection* products;
  std::string id;
  MutationMeta meta;
  IdempotentRequest idempotency;  // POST only; the other routes keep nothing
};

// The caller, if it may change products.
Result<Principal> product_writer(const Request& req, ApiContext& ctx) {
  auto who = authenticate_request(req, ctx);
  if (!who) return who.problem();
  if (!may_write(who->role, "products"))
    return Problem::forbidden("a " + std::string(to_string(who->role)) + " token may not change products");
  return who;
}

Result<ProductCall> begin(const Request& req, ApiContext& ctx) {
  auto who = product_writer(req, ctx);
  if (!who) return who.problem();
  if (auto p = check_id(req.params[0])) return *p;
  auto if_match = parse_if_match(req);
  if (!if_match) return if_match.problem();
  IdempotentRequest idempotency;
  if (req.method == "POST") {
    auto keyed = idempotency_of(req, *who, 201);
    if (!keyed) return keyed.problem();
    idempotency = std::move(*keyed);
  }
  return ProductCall{std::move(*who), find_collection("products"), req.params[0], mutation_meta(req, *if_match),
                     std::move(idempotency)};
}

std::string lower_mime(std::string_view type) {
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  std::string out(type);
  for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

json::array& images_of(json::object& doc) {
  auto& v = doc["images"];
  if (!v.is_array()) v = json::array();
  return v.as_array();
}

Response product_response(const Request& req, int status, Result<json::object>& rec,
                          const IdempotentRequest& idempotency = {}) {
  if (!rec) return problem_response(rec.problem());
  auto r = record_response(req, status, *rec, *find_collection("products"));
  mark_replayed(r, idempotency);
  return r;
}

// Appends `image` to the product; returns the problem if that failed.
Result<json::object> append_image(ApiContext& ctx, ProductCall& call, json::object image) {
  auto meta = call.meta;
  meta.idempotency = &call.idempotency;
  return ctx.records.update(call.who, *call.products, call.id, meta, [&](json::object& doc) -> std::optional<Problem> {
    images_of(doc).push_back(image);
    return std::nullopt;
  });
}

Response upload_bytes(const Request& req, ApiContext& ctx, ProductCall& call) {
  const auto info = sniff_image(req.body);
  if (!info)
    return problem_response(Problem::of(ErrorCode::invalid_image, "the body is not a PNG, JPEG, GIF or WebP image"));
  std::string alt;
  if (auto a = req.query_param("alt")) alt = std::string(a->substr(0, 500));
  const auto image_id = new_id("img");
  const auto file = image_id + "_" + random_hex(8) + "." + info->extension;
  try {
    write_media_file(ctx.media_dir, call.who.tenant, file, req.body);
  } catch (const std::exception& e) {
    return problem_response(Problem::unavailable("could not store the image"));
  }
  auto rec = append_image(ctx, call,
                          {{"id", image_id},
                           {"url", media_url(call.who.tenant, file)},
                           {"alt", alt},
                           {"width", info->width},
                           {"height", info->height}});
  // Refused, or a retry answered with the first upload's record: these bytes
  // are named by nothing.
  if (!rec || call.idempotency.replayed) remove_media_file(ctx.media_dir, call.who.tenant, file);
  return product_response(req, 201, rec, call.idempotency);
}

Response add_image(Request& req, ApiContext& ctx) {
  auto call = begin(req, ctx);
  if (!call) return problem_response(call.problem());
  const auto type = lower_mime(req.header("content-type"));
  if (type == "image/png" || type == "image/jpeg" || type == "image/gif" || type == "image/webp")
    return upload_bytes(req, ctx, *call);
  if (type != "application/json")
    return problem_response(Problem::of(
        ErrorCode::unsupported_media_type,
        "upload image bytes as image/png, image/jpeg, image/gif or image/webp, or send "
        "application/json {url, alt}" +
            (type.empty() ? std::string(" (no Content-Type was given)") : " (got '" + type.substr(0, 100) + "')")));
  auto body = parse_json_object(req.body);
  if (!body) return problem_response(body.problem());
  body->erase("id");  // the server names images
  if (!body->contains("url")) return problem_response(Problem::validation({{"url", "required: the image's URL"}}));
  (*body)["id"] = new_id("img");
  auto rec = append_image(ctx, *call, std::move(*body));
  if (!rec && rec.problem().code == ErrorCode::validation_failed) {
    // Point field paths at the body, not at images[n] of the product.
    for (auto& e : rec.problem().errors) {
      const auto dot = e.field.find("].");
      if (e.field.starts_with("images[") && dot != std::string::npos) e.field = e.field.substr(dot + 2);
    }
  }
  return product_response(req, 201, rec, call->idempotency);
}

Response delete_image(Request& req, ApiContext& ctx) {
  auto call = begin(req, ctx);
  if (!call) return problem_response(call.problem());
  const auto& image_id = req.params[1];
  if (auto p = check_id(image_id)) return problem_response(*p);
  std::optional<std::string> removed_file;
  auto rec = ctx.records.update(
      call->who, *call->products, call->id, call->meta, [&](json::object& doc) -> std::optional<Problem> {
        auto& images = images_of(doc);
        for (auto it = images.begin(); it != images.end(); ++it) {
          const auto* obj = it->if_object();
          if (!obj || !obj->contains("id") || obj->at("id") != json::value(image_id)) continue;
          if (const auto* url = obj->at("url").if_string()) removed_file = media_file_of(call->who.tenant, *url);
          images.erase(it);
          return std::nullopt;
        }
        return Problem::not_found("product '" + call->id + "' has no image '" + image_id + "'");
      });
  // The bytes go only once no committed record names them.
  if (rec && removed_file) remove_media_file(ctx.media_dir, call->who.tenant, *removed_file);
  return product_response(req, 200, rec);
}

Response reorder_images(Request& req, ApiContext& ctx) {
  auto call = begin(req, ctx);
  if (!call) return problem_response(call.problem());
  if (auto p = require_json(req, false)) return problem_response(*p);
  auto body = parse_json(req.body);
  if (!body) return problem_response(body.problem());
  if (!body->is_array())
    return problem_response(Problem::validation({{"", "must be an array of image ids, e.g. [\"img_2\",\"img_1\"]"}}));
  const auto& order = body->as_array();
  auto rec = ctx.records.update(
      call->who, *call->products, call->id, call->meta, [&](json::object& doc) -> std::optional<Problem> {
        auto& images = images_of(doc);
        const auto bad = Problem::validation({{"", "must list every image id of the product exactly once"}});
        if (order.size() != images.size()) return bad;
        json::array sorted;
        for (const auto& id : order) {
          auto it = std::find_if(images.begin(), images.end(), [&](const json::value& img) {
            return img.is_object() && img.as_object().contains("id") && img.as_object().at("id") == id;
          });
          if (it == images.end()) return bad;
          sorted.push_back(*it);
          images.erase(it);
        }
        images = std::move(sorted);
        return std::nullopt;
      });
  return product_response(req, 200, rec);
}

}  // namespace

std::optional<Problem> admit_upload(const Request& head, ApiContext& ctx) {
  auto who = product_writer(head, ctx);
  if (!who) return who.problem();
  return std::nullopt;
}

void add_image_routes(Router& router, ApiContext& ctx) {
  router.add("POST", "/api/products/{id}/images", [&ctx](Request& r) { return add_image(r, ctx); });
  router.add("DELETE", "/api/products/{id}/images/{image_id}", [&ctx](Request& r) { return delete_image(r, ctx); });
  router.add("PUT", "/api/products/{id}/images/order", [&ctx](Request& r) { return reorder_images(r, ctx); });
}

}  // namespace shelfsync
