-- Shared by the ingest scripts: each wrk thread gets its own number, so event ids never collide.
local threads = {}
thread_id = 0
counter = 0
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  thread_id = tid
end
-- A unique event id for this run (RUN), thread and request.
function next_event_id()
  counter = counter + 1
  return string.format("b-%s-%d-%d", os.getenv("RUN") or "x", thread_id, counter)
end
