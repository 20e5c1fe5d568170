-- wrk script: each thread asks for the addresses of a file in turn (list, search and fiche pages),
-- starting at a different place; every answer other than 2xx counts as an error. The figures are
-- printed and written to var/loadtest.json.
--   wrk -t2 -c32 -d30s -s loadtest/rotate.lua http://127.0.0.1:8400 -- URLS_FILE

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  urls = {}
  for line in io.lines(args[1]) do
    if line ~= "" then table.insert(urls, line) end
  end
  index = (id * 37) % #urls
  non2xx = 0
end

function request()
  index = index % #urls + 1
  return wrk.format("GET", urls[index])
end

function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end

function done(summary, latency, requests)
  local non2xx_total = 0
  for _, thread in ipairs(threads) do non2xx_total = non2xx_total + thread:get("non2xx") end
  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  local seconds = summary.duration / 1e6
  local result = {
    requests = summary.requests,
    seconds = seconds,
    requests_per_second = summary.requests / seconds,
    p50_ms = latency:percentile(50) / 1000,
    p99_ms = latency:percentile(99) / 1000,
    max_ms = latency.max / 1000,
    non_2xx = non2xx_total,
    socket_errors = socket_errors,
  }
  io.write(string.format(
    "Requêtes : %d en %.1f s, %.1f par seconde ; p50 %.1f ms, p99 %.1f ms, max %.1f ms ; " ..
    "erreurs : %d réponses non 2xx, %d erreurs de connexion.\n",
    result.requests, seconds, result.requests_per_second, result.p50_ms, result.p99_ms,
    result.max_ms, non2xx_total, socket_errors))
  local file = io.open("var/loadtest.json", "w")
  local parts = {}
  for key, value in pairs(result) do table.insert(parts, string.format('"%s": %s', key, value)) end
  table.sort(parts)
  file:write("{" .. table.concat(parts, ", ") .. "}\n")
  file:close()
end
