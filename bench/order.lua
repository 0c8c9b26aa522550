-- wrk script: each request places an order for one unit of the one hot
-- product, with a fresh Idempotency-Key (thread number + counter), so every
-- request is a real order: stock cut, ledger entry, order record, alert.
local token = os.getenv("BENCH_TOKEN")
local body = os.getenv("BENCH_ORDER")
local counter = 0
local thread_no = 0
local statuses = {}

function setup(thread)
  thread_no = thread_no + 1
  thread:set("thread_no", thread_no)
end

request = function()
  counter = counter + 1
  return wrk.format("POST", "/api/orders", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = string.format("bench-%d-%d", thread_no, counter),
  }, body)
end

response = function(status, headers, body)
  if status ~= 201 and status ~= 409 then
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
  end
end
