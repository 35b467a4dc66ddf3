-- One event per request, each with a unique eventId, so every request is stored.
dofile("bench/ids.lua")
function request()
  local body = string.format(
    '{"eventId":"%s","organizationId":"3f6b2c1e-8a7d-4e55-9c1b-2d4f6a8b0c9e","appId":"premium-minutes","quantity":1.5}',
    next_event_id())
  return wrk.format("POST", "/v1/usage-events", {["Content-Type"] = "application/json"}, body)
end
