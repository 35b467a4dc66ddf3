-- Arrays of BATCH events per request (default 100), unique ids.
dofile("bench/ids.lua")
local size = tonumber(os.getenv("BATCH") or "100")
function request()
  local parts = {}
  for i = 1, size do
    parts[i] = string.format(
      '{"eventId":"%s","organizationId":"3f6b2c1e-8a7d-4e55-9c1b-2d4f6a8b0c9e","appId":"premium-minutes","quantity":1}',
      next_event_id())
  end
  return wrk.format("POST", "/v1/usage-events", {["Content-Type"] = "application/json"}, "[" .. table.concat(parts, ",") .. "]")
end
