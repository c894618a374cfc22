-- wrk script for the yardstick: GET /healthz, counting 200s; done() prints one machine-readable HEALTHZ line.
--   wrk -t1 -c32 -d10s --latency -s healthz.lua http://127.0.0.1:PORT/healthz

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   ok, failed = 0, 0
end

function response(status, headers, body)
   if status == 200 then
      ok = ok + 1
   else
      failed = failed + 1
   end
end

function done(summary, latency, requests)
   local good, bad = 0, 0
   for _, thread in ipairs(threads) do
      good = good + thread:get("ok")
      bad = bad + thread:get("failed")
   end
   local seconds = summary.duration / 1e6
   io.write(string.format("HEALTHZ seconds=%.2f answered=%d ok=%d failed=%d per_s=%.0f p50_ms=%.3f p99_ms=%.3f\n",
      seconds, summary.requests, good, bad, good / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
