-- wrk script for bench/signup_rush.py. The benchmark starts one wrk process per client, each
-- with one thread and one connection, so a request and its answer are always paired and
-- every answer's latency is known exactly. The process sends the jobs in WRK_JOBS (one
-- "METHOD<TAB>PATH<TAB>TOKEN<TAB>BODY" a line) in order, then writes to WRK_OUT: its first
-- start and last end on CLOCK_MONOTONIC (microseconds, comparable across processes), every
-- latency, the status counts and the confirmed sign-up ids, and creates WRK_OUT .. ".done".
-- It starts sending when the file WRK_GO exists, so that every process starts together.
--
-- Why one connection per process: gunicorn's sync workers close the connection after each
-- answer and wrk opens a new one at once. A wrk thread that stops while some of its
-- connections are open but idle leaves a sync worker blocked on each of them, which stalls
-- every other connection for seconds. A process that stops after its last answer holds at
-- most one such connection, for the moment until the benchmark ends the process.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } rush_timespec;
int clock_gettime(int clk_id, rush_timespec *tp);
int usleep(unsigned int usec);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("rush_timespec")

local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1000000 + math.floor(tonumber(ts.tv_nsec) / 1000)
end

local jobs = {}
local nextjob = 1
local answered = 0
local started_at = nil
local sent_at = nil
local finished = false
local latencies = {}
local statuses = {}
local confirmed = {}

function init(args)
  for line in io.lines(os.getenv("WRK_JOBS")) do
    table.insert(jobs, line)
  end
  -- Every client starts together: wait for the benchmark's go mark (WRK_GO) to appear.
  local go = os.getenv("WRK_GO")
  while go do
    local f = io.open(go, "r")
    if f then
      f:close()
      break
    end
    ffi.C.usleep(1000)
  end
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
  -- The job advances only when its answer has come (in ``response``): wrk also calls this
  -- once before it starts, to check the request, and that call must not use up a job.
  if nextjob > #jobs then
    -- Only after the last answer (one connection): a harmless request that is never counted.
    return wrk.format("GET", "/bench/ping")
  end
  sent_at = now_us()
  return build(jobs[nextjob])
end

local function finish(ended_at)
  finished = true
  local out = io.open(os.getenv("WRK_OUT"), "w")
  out:write(string.format("start %d\n", started_at or ended_at))
  out:write(string.format("end %d\n", ended_at))
  for status, n in pairs(statuses) do
    out:write(string.format("status %s %d\n", status, n))
  end
  for _, id in ipairs(confirmed) do
    out:write(string.format("confirmed %s\n", id))
  end
  for _, us in ipairs(latencies) do
    out:write(string.format("latency %d\n", us))
  end
  out:close()
  local mark = io.open(os.getenv("WRK_OUT") .. ".done", "w")
  mark:close()
  wrk.thread:stop()
end

function response(status, headers, body)
  if finished or answered >= #jobs then
    return
  end
  local ended_at = now_us()
  if started_at == nil then
    started_at = sent_at
  end
  answered = answered + 1
  nextjob = nextjob + 1
  table.insert(latencies, ended_at - sent_at)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  if status == 201 and body then
    local state = body:match('"status":%s*"(%a+)"')
    local id = body:match('"id":%s*(%d+)')
    if state == "confirmed" and id then
      table.insert(confirmed, id)
    end
  end
  if answered == #jobs then
    finish(ended_at)
  end
end
