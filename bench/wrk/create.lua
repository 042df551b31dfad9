-- wrk script (issue 14): POST /api/work-orders with a fresh Idempotency-Key per request, for the demo customers in turn.
-- wrk -s bench/wrk/create.lua <url> -- <token> <customerId:serial>...   (bench/scale.sh wrk runs it)
local token, customers = nil, {}
local counter = 0

function init(args)
  token = args[1]
  for i = 2, #args do
    local id, serial = args[i]:match("^(%d+):(.+)$")
    customers[#customers + 1] = { id = id, serial = serial }
  end
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

local function uuid()
  return string.format("%08x-%04x-4%03x-a%03x-%012x", math.random(0, 0xffffffff), math.random(0, 0xffff),
    math.random(0, 0xfff), math.random(0, 0xfff), math.random(0, 0xffffffffffff))
end

function request()
  counter = counter + 1
  local c = customers[(counter % #customers) + 1]
  local body = string.format('{"type":"repair","channel":"hotline","customerId":%s,"productSerial":"%s","faultDescription":"不制冷","priority":"normal"}', c.id, c.serial)
  return wrk.format("POST", "/api/work-orders", {
    ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token, ["Idempotency-Key"] = uuid(),
  }, body)
end

-- wrk counts every answer of 400 or more in summary.errors.status: a create answers 201 or is an error.
function done(summary, latency, requests)
  io.write(string.format("%.0f/s\tp50 %.1f ms\tp99 %.1f ms\terrors %d of %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.requests))
end
