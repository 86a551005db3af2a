-- wrk script: cycles through "path<TAB>cookie" lines (BENCH_REQS), each thread starting at a
-- different place in the list, so every request is one signed-in caller's matching query.
local reqs = {}
local counter = 1
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("start", threads * 131)
end

function init(args)
  for line in io.lines(os.getenv("BENCH_REQS")) do
    local p, c = line:match("^([^\t]+)\t(.+)$")
    if p then reqs[#reqs + 1] = { path = p, cookie = c } end
  end
  counter = (start or 0) % #reqs + 1
end

function request()
  local r = reqs[counter]
  counter = counter % #reqs + 1
  return wrk.format("GET", r.path, { ["Cookie"] = r.cookie })
end

function response(status, headers, body)
  if status ~= 200 then
    io.stderr:write("status " .. status .. ": " .. body:sub(1, 200) .. "\n")
  end
end
