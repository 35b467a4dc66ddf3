-- Arrays of BATCH events per request (default 100), unique ids.
local counter = 0
local thread_id = 0
local threads = {}
local size = tonumber(os.getenv("BATCH") or "100")
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  thread_id = tid
end
function request()
  local parts = {}
  for i = 1, size do
    counter = counter + 1
    parts[i] = string.format(
      '{"eventId":"b-%s-%d-%d","organizationId":"3f6b2c1e-8a7d-4e55-9c1b-2d4f6a8b0c9e","appId":"premium-minutes","quantity":1}',
      os.getenv("RUN") or "x", thread_id, counter)
  end
  return wrk.format("POST", "/v1/usage-events", {["Content-Type"] = "application/json"}, "[" .. table.concat(parts, ",") .. "]")
end
