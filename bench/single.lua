-- One event per request, each with a unique eventId (thread id + counter), so every request is stored.
local counter = 0
local thread_id = 0
local threads = {}
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  thread_id = tid
end
function request()
  counter = counter + 1
  local body = string.format(
    '{"eventId":"b-%s-%d-%d","organizationId":"3f6b2c1e-8a7d-4e55-9c1b-2d4f6a8b0c9e","appId":"premium-minutes","quantity":1.5}',
    os.getenv("RUN") or "x", thread_id, counter)
  return wrk.format("POST", "/v1/usage-events", {["Content-Type"] = "application/json"}, body)
end
