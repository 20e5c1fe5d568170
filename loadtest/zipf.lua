-- wrk script: asks for the addresses of a file by popularity. The file holds one address a line, its
-- kind first and a tab (`fiche<TAB>/cooperations/…/`), the most popular first; the n-th address of the
-- chosen kind is drawn with a weight of 1/n^s (Zipf: a few addresses asked very often, a long tail).
-- Each thread draws from its own generator, seeded: the same sequence every run. Any answer other than
-- 2xx counts as an error. The figures go to a JSON file, read by loadtest/run.py.
--   wrk -t1 -c32 -d30s -s loadtest/zipf.lua http://127.0.0.1:8400 -- URLS KIND EXPONENT SEED OUTPUT
-- KIND is fiche, list, search or all.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local kind, exponent, seed = args[2], tonumber(args[3]), tonumber(args[4])
  output = args[5]
  urls, kinds, cumulative = {}, {}, {}
  local total = 0
  for line in io.lines(args[1]) do
    local k, url = line:match("^(%w+)\t(.+)$")
    if url and (kind == "all" or k == kind) then
      table.insert(urls, url)
      table.insert(kinds, k)
      total = total + 1 / ((#urls) ^ exponent)
      table.insert(cumulative, total)
    end
  end
  if #urls == 0 then error("no address of kind " .. kind .. " in " .. args[1]) end
  math.randomseed(seed + 7919 * id)
  non2xx, asked, distinct = 0, {}, 0
  drawn = {fiche = 0, list = 0, search = 0, healthz = 0}
end

-- The first index whose cumulative weight reaches a uniform draw: a binary search.
local function draw()
  local target = math.random() * cumulative[#cumulative]
  local low, high = 1, #cumulative
  while low < high do
    local middle = math.floor((low + high) / 2)
    if cumulative[middle] < target then low = middle + 1 else high = middle end
  end
  return low
end

function request()
  local index = draw()
  if not asked[index] then
    asked[index] = true
    distinct = distinct + 1
  end
  drawn[kinds[index]] = (drawn[kinds[index]] or 0) + 1
  return wrk.format("GET", urls[index])
end

function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end

function done(summary, latency, requests)
  local non2xx_total, distinct_max, by_kind = 0, 0, {}
  for _, thread in ipairs(threads) do
    non2xx_total = non2xx_total + thread:get("non2xx")
    -- Threads draw independently: the largest count is a lower bound of the distinct addresses asked.
    distinct_max = math.max(distinct_max, thread:get("distinct"))
    for k, n in pairs(thread:get("drawn")) do by_kind[k] = (by_kind[k] or 0) + n end
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  local fields = {
    requests = summary.requests,
    seconds = seconds,
    requests_per_second = summary.requests / seconds,
    p50_ms = latency:percentile(50) / 1000,
    p90_ms = latency:percentile(90) / 1000,
    p99_ms = latency:percentile(99) / 1000,
    max_ms = latency.max / 1000,
    mean_ms = latency.mean / 1000,
    non_2xx = non2xx_total,
    socket_errors = e.connect + e.read + e.write + e.timeout,
    timeouts = e.timeout,
    distinct_addresses = distinct_max,
    addresses = #threads > 0 and #threads[1]:get("urls") or 0,
  }
  local parts = {}
  for key, value in pairs(fields) do table.insert(parts, string.format('"%s": %s', key, value)) end
  local kinds = {}
  for k, n in pairs(by_kind) do table.insert(kinds, string.format('"%s": %d', k, n)) end
  table.insert(parts, '"drawn": {' .. table.concat(kinds, ", ") .. "}")
  table.sort(parts)
  local file = assert(io.open(threads[1]:get("output"), "w"))
  file:write("{" .. table.concat(parts, ", ") .. "}\n")
  file:close()
end
