-- wrk script of the SessionGate load test: every request carries one token of a tokens file in the
-- access cookie, cycling through lines [first, last] of the file. Each thread starts at its own
-- place (offset + thread * count / threads), so the threads never send the same token together.
-- Arguments (after --): file, first line, last line (1-based, inclusive), offset, threads, cookie.
-- The requests are formatted once in init, so the driver's own cost per request is the same for
-- one token (warm) as for 60,000 (cold).
local created = 0

function setup(thread)
  thread:set("tid", created)
  created = created + 1
end

function init(args)
  local file, first, last = args[1], tonumber(args[2]), tonumber(args[3])
  local offset, threads, cookie = tonumber(args[4]), tonumber(args[5]), args[6]
  requests = {}
  local line_no = 0
  for line in io.lines(file) do
    line_no = line_no + 1
    if line_no > last then break end
    if line_no >= first then
      requests[#requests + 1] = wrk.format("GET", nil, { ["Cookie"] = cookie .. "=" .. line })
    end
  end
  n = #requests
  index = (offset + math.floor(tid * n / threads)) % n
end

function request()
  index = index + 1
  if index > n then index = 1 end
  return requests[index]
end

function done(summary, latency, requests)
  io.write(string.format("LOADTEST requests=%d duration_us=%d status_errors=%d connect=%d read=%d write=%d timeout=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.duration, summary.errors.status, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
