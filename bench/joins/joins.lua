-- wrk script: posts prepared Backend Interfaces JoinReqs, each body at most once, and counts the answers.
--
--   wrk -t1 -c32 -d10s --latency -s joins.lua http://127.0.0.1:PORT -- BODIES TOKEN START THREADS [NEXTFILE [END]]
--
-- BODIES holds one JoinReq a line (Custodian.LoadGenerator prepare). Lines before START were used by an earlier
-- run (the warm-up) and are skipped. Thread t of THREADS takes the lines j with j % THREADS == t, in file order, so
-- no body is sent twice; with one thread the lines go out in file order, and a device's next DevNonce comes
-- thousands of requests after its previous one, long after that one was answered (at most -c requests are in
-- flight), so strictly increasing DevNonces stay increasing on the wire. With several threads the device count
-- must be a multiple of THREADS so that each device's lines stay in one thread.
--
-- An answer counts as a join only when it is HTTP 200 with "ResultCode":"Success"; every other answer is counted
-- by its ResultCode (or HTTP status) and reported, never as throughput. When the file runs out, the thread sends
-- an empty body (an HTTP 400, counted as "exhausted") rather than repeat a JoinReq.
-- done() prints one machine-readable JOINS line and writes the first unused line number to NEXTFILE ("-" for none).
--
-- With END, the lines START..END-1 are sent round and round instead: only for measuring the refusal paths (replays of
-- bodies already answered, or a wrong token), where repeating a body is the point.

local threads = {}
local thread_count = 0

function setup(thread)
   thread:set("id", thread_count)
   thread_count = thread_count + 1
   table.insert(threads, thread)
end

function init(args)
   bodies = assert(io.open(args[1], "r"), "cannot open " .. tostring(args[1]))
   headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. args[2] }
   start = tonumber(args[3] or "0")
   threads_total = tonumber(args[4] or "1")
   next_file = args[5] ~= "-" and args[5] or nil
   stop = tonumber(args[6] or "")
   line_number = -1
   last_line = -1
   sent, succeeded, refused, exhausted = 0, 0, 0, 0
   codes = {}
end

local function next_body()
   while true do
      local line = bodies:read("*l")
      if stop and (line == nil or line_number + 1 >= stop) then
         bodies:seek("set", 0)
         line_number = -1
         line = bodies:read("*l")
      end
      if line == nil then
         return nil
      end
      line_number = line_number + 1
      if line_number >= start and line_number % threads_total == id then
         return line
      end
   end
end

function request()
   local body = next_body()
   if body == nil then
      exhausted = exhausted + 1
      return wrk.format("POST", "/backend-interfaces", headers, "")
   end
   last_line = line_number
   sent = sent + 1
   return wrk.format("POST", "/backend-interfaces", headers, body)
end

function response(status, headers, body)
   if status == 200 and string.find(body, '"ResultCode":"Success"', 1, true) then
      succeeded = succeeded + 1
      return
   end
   refused = refused + 1
   local code = string.match(body or "", '"ResultCode":"(%w+)"') or ("HTTP" .. status)
   codes[code] = (codes[code] or 0) + 1
end

function done(summary, latency, requests)
   local ok, bad, out, sent_total, next_line = 0, 0, 0, 0, 0
   local all_codes = {}
   for _, thread in ipairs(threads) do
      ok = ok + thread:get("succeeded")
      bad = bad + thread:get("refused")
      out = out + thread:get("exhausted")
      sent_total = sent_total + thread:get("sent")
      next_line = math.max(next_line, thread:get("last_line") + 1)
      for code, count in pairs(thread:get("codes")) do
         all_codes[code] = (all_codes[code] or 0) + count
      end
   end
   local seconds = summary.duration / 1e6
   local refused_text = ""
   for code, count in pairs(all_codes) do
      refused_text = refused_text .. code .. ":" .. count .. ","
   end
   io.write(string.format(
      "JOINS seconds=%.2f answered=%d success=%d refused=%d exhausted=%d sent=%d errors=%d success_per_s=%.0f answered_per_s=%.0f p50_ms=%.3f p99_ms=%.3f next=%d codes=%s\n",
      seconds, summary.requests, ok, bad, out, sent_total,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout,
      ok / seconds, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
      next_line, refused_text))
   local next_file = threads[1]:get("next_file")
   if next_file then
      local f = io.open(next_file, "w")
      f:write(next_line)
      f:close()
   end
end
