-- wrk script for benchmarks/server/hot_reload.py: POSTs two Car rows and
-- checks every answer is wholly one version's: odd versions are the
-- scikit-learn pipeline (HOT_RELOAD_ODD), even ones the Spark pipeline
-- (HOT_RELOAD_EVEN), by the X-Conveyor-Pipeline-Version header.
wrk.method = "POST"
wrk.body = "low,low,5more,more,big,high\nvhigh,vhigh,2,2,small,low\n"
wrk.headers["Content-Type"] = "text/csv"

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  odd = os.getenv("HOT_RELOAD_ODD")
  even = os.getenv("HOT_RELOAD_EVEN")
  ok_odd, ok_even, bad, non200, highest = 0, 0, 0, 0, 0
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
    return
  end
  local version = tonumber(headers["X-Conveyor-Pipeline-Version"] or headers["x-conveyor-pipeline-version"] or "")
  if version == nil then
    bad = bad + 1
  elseif version % 2 == 1 and body == odd then
    ok_odd = ok_odd + 1
  elseif version % 2 == 0 and body == even then
    ok_even = ok_even + 1
  else
    bad = bad + 1
  end
  if version ~= nil and version > highest then highest = version end
end

function done(summary, latency, requests)
  local total = {ok_odd = 0, ok_even = 0, bad = 0, non200 = 0, highest = 0}
  for _, thread in ipairs(threads) do
    for key, _ in pairs(total) do
      if key == "highest" then
        total[key] = math.max(total[key], thread:get(key))
      else
        total[key] = total[key] + thread:get(key)
      end
    end
  end
  local errors = summary.errors
  io.write(string.format(
    "hot_reload requests=%d ok_odd=%d ok_even=%d bad=%d non200=%d socket_errors=%d highest_version=%d p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, total.ok_odd, total.ok_even, total.bad, total.non200,
    errors.connect + errors.read + errors.write + errors.timeout, total.highest,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
