-- wrk script: each request is an acknowledged JSON merge patch of one of
-- the benchmark's products (ids in bench/out/ids.txt), changing price and
-- a custom attribute, so every request is a real write with a new version.
local ids = {}
local token = os.getenv("BENCH_TOKEN")
for line in io.lines(os.getenv("BENCH_IDS")) do ids[#ids + 1] = line end
local counter = 0

function setup(thread)
  thread:set("seed", math.random(1, 1e9))
end

function init(args)
  math.randomseed(seed)
end

request = function()
  counter = counter + 1
  local id = ids[math.random(1, #ids)]
  local body = string.format('{"price": %d, "attributes": {"bench": %d}}',
                              1000 + math.random(0, 9000), counter)
  return wrk.format("PATCH", "/api/products/" .. id, {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/merge-patch+json",
  }, body)
end

response = function(status, headers, body)
  if status ~= 200 then
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
  end
end
