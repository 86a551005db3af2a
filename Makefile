# The two commands of the README. Everything else lives in scripts/.
.PHONY: run test build clean format bench

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

build:
	@bash scripts/build.sh release

format:
	@find src tests/unit -name '*.[ch]' | xargs clang-format -i

bench:
	@bash bench/http/run.sh

clean:
	rm -rf build build-asan web/dist
