-- wrk script: cycles through the query URLs written by bench_national (one per line, the
-- expected total after a tab), each thread starting at a different place in the list.
local urls = {}
local counter = 1
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("start", threads * 337)
end

function init(args)
  local path = os.getenv("BENCH_URLS")
  for line in io.lines(path) do
    local u = line:match("^([^\t]+)")
    if u then urls[#urls + 1] = u end
  end
  counter = (start or 0) % #urls + 1
end

function request()
  local u = urls[counter]
  counter = counter % #urls + 1
  return wrk.format("GET", u)
end
