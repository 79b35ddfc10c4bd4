-- wrk script for bench/signup_rush.py: each thread sends its share of the jobs in
-- WRK_JOBS (one "METHOD<TAB>PATH<TAB>TOKEN<TAB>BODY" a line), rotating the students'
-- tokens, then stops. Status counts and the confirmed sign-up ids go to WRK_OUT.

local threads = {}
local count = 0

function setup(thread)
  thread:set("tid", count)
  count = count + 1
  table.insert(threads, thread)
end

function init(args)
  local nthreads = tonumber(os.getenv("WRK_THREADS"))
  jobs = {}
  local i = 0
  for line in io.lines(os.getenv("WRK_JOBS")) do
    if i % nthreads == tid then
      table.insert(jobs, line)
    end
    i = i + 1
  end
  nextjob = 1
  statuses = {}
  confirmed = {}
end

local function build(line)
  local method, path, token, body = line:match("^(%S+)\t(%S+)\t(%S*)\t(.*)$")
  local headers = {}
  if token ~= "" then
    headers["Authorization"] = "Bearer " .. token
  end
  if body == "" then
    body = nil
  else
    headers["Content-Type"] = "application/json"
  end
  return wrk.format(method, path, headers, body)
end

function request()
  if nextjob > #jobs then
    -- Tell the benchmark this thread is done (it stops wrk with SIGINT once all are).
    if not finished then
      finished = true
      local mark = io.open(os.getenv("WRK_OUT") .. ".done" .. tid, "w")
      mark:close()
      wrk.thread:stop()
    end
    return wrk.format("GET", "/bench/ping")
  end
  local line = jobs[nextjob]
  nextjob = nextjob + 1
  return build(line)
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  if status == 201 and body then
    local state = body:match('"status":%s*"(%a+)"')
    local id = body:match('"id":%s*(%d+)')
    if state == "confirmed" and id then
      table.insert(confirmed, id)
    end
  end
end

function done(summary, latency, requests)
  local out = io.open(os.getenv("WRK_OUT"), "w")
  out:write(string.format("requests %d\n", summary.requests))
  out:write(string.format("duration_us %d\n", summary.duration))
  out:write(string.format("p50_us %d\n", latency:percentile(50)))
  out:write(string.format("p99_us %d\n", latency:percentile(99)))
  local e = summary.errors
  out:write(string.format("errors %d\n", e.connect + e.read + e.write + e.timeout))
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      out:write(string.format("status %s %d\n", status, n))
    end
    for _, id in ipairs(thread:get("confirmed")) do
      out:write(string.format("confirmed %s\n", id))
    end
  end
  out:close()
end
