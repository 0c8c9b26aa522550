-- wrk script: each request places an order for one unit of the one hot
-- product, with a fresh Idempotency-Key (thread number + counter), so every
-- request is a real order: stock cut, ledger entry, order record, alert.
local token = os.getenv("BENCH_TOKEN")
local body = os.getenv("BENCH_ORDER")
local counter = 0
local threads = 0

-- `id` becomes a global of the thread's own Lua state (a local here would
-- be shared by every thread's copy of this script as 0).
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

request = function()
  counter = counter + 1
  return wrk.format("POST", "/api/orders", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = string.format("bench-%d-%d", id, counter),
  }, body)
end

response = function(status, headers, body)
  if status ~= 201 and status ~= 409 then
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
  end
end
