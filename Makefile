# numsense: build, test and package. `make help` lists the targets.
SHELL := /bin/bash
GO ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
PKGS := ./...
SHARED := $(abspath ../shared)
# Under the other arm64 core models: the kernels (whose dispatch differs per core) and the
# engine tests that run them end to end (bit-exact against the integer reference, golden).
DISPATCH_PKGS := ./model/kernel/...
DISPATCH_RUN := TestGolden|TestEngineMatchesIntReference|TestEngineThreadsAgree
QEMU_ARM64 := qemu-aarch64-static
QEMU_ARM := qemu-arm-static

.PHONY: help build run pi test test-host test-arm check bench deb deploy clean qemu fmt vet

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

build: ## build bin/numsense for this machine
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/numsense ./cmd/numsense

run: ## run the main job on embedded defaults (synthetic camera, terminal display)
	$(GO) run ./cmd/numsense run

pi: ## cross-build the three Raspberry Pi binaries into bin/
	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/numsense-linux-arm64 ./cmd/numsense
	CGO_ENABLED=0 GOOS=linux GOARCH=arm GOARM=7 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/numsense-linux-armv7 ./cmd/numsense
	CGO_ENABLED=0 GOOS=linux GOARCH=arm GOARM=6 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/numsense-linux-armv6 ./cmd/numsense
	@ls -l bin/numsense-linux-*

vet: ## gofmt and go vet
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)

test-host: vet ## every test on this machine
	$(GO) test -count=1 $(PKGS)

qemu: ## install qemu-user-static when missing (needs root and apt-get)
	@if ! command -v $(QEMU_ARM64) >/dev/null || ! command -v $(QEMU_ARM) >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing qemu-user-static"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-user-static) >/dev/null || exit 1; \
	  else echo "make test-arm needs qemu-user-static (apt-get install qemu-user-static)"; exit 1; fi; \
	fi

test-arm: qemu ## the test suite under qemu: arm64 (Cortex-A53, A72, A76) and 32-bit armv7, reduced size (-short)
	GOARCH=arm64 $(GO) test -count=1 -short -exec '$(QEMU_ARM64) -cpu cortex-a72' $(PKGS)
	GOARCH=arm64 $(GO) test -count=1 -short -exec '$(QEMU_ARM64) -cpu cortex-a53' $(DISPATCH_PKGS)
	GOARCH=arm64 $(GO) test -count=1 -short -exec '$(QEMU_ARM64) -cpu cortex-a53' -run '$(DISPATCH_RUN)' ./model ./model/floatnet
	GOARCH=arm64 $(GO) test -count=1 -short -exec '$(QEMU_ARM64) -cpu cortex-a76' $(DISPATCH_PKGS)
	GOARCH=arm64 $(GO) test -count=1 -short -exec '$(QEMU_ARM64) -cpu cortex-a76' -run '$(DISPATCH_RUN)' ./model ./model/floatnet
	GOARCH=arm GOARM=7 $(GO) test -count=1 -short -exec '$(QEMU_ARM)' $(PKGS)

test: test-host ## alias of test-host

check: test-host fuzz-short test-arm ## every test: host, a short fuzz of every parser, then emulated arm64 and armv7 (the README and CI command)

bench: ## benchmarks and the tracked name=value figures (see docs/performance.md)
	./.ci/bench

deb: pi ## Debian packages for the Pi into dist/
	firmware/build-deb.sh $(VERSION) arm64 bin/numsense-linux-arm64 dist
	firmware/build-deb.sh $(VERSION) armhf bin/numsense-linux-armv6 dist

deploy: deb ## install on a Pi over ssh: make deploy HOST=pi.local
	@test -n "$(HOST)" || { echo "usage: make deploy HOST=pi.local"; exit 2; }
	firmware/deploy.sh $(HOST)

clean: ## remove build outputs
	rm -rf bin dist out

# The fuzz targets of the parsers of user files, as package:Target (docs/reliability.md).
FUZZ_TARGETS := ./camera:FuzzCounts ./camera:FuzzY4M ./camera:FuzzMJPEG ./camera:FuzzAVI ./camera:FuzzDecodeImage \
	./cmd/numsense/internal/config:FuzzConfig ./model:FuzzDecode
FUZZTIME_SHORT ?= 3s
FUZZTIME ?= 2m
SOAK_MINUTES ?= 10

.PHONY: fuzz fuzz-short soak

fuzz-short: ## every fuzz target for FUZZTIME_SHORT (3s; part of check)
	@set -e; for t in $(FUZZ_TARGETS); do \
	  echo "fuzz $${t##*:} ($${t%%:*}) for $(FUZZTIME_SHORT)"; \
	  $(GO) test -run '^$$' -fuzz "^$${t##*:}$$" -fuzztime $(FUZZTIME_SHORT) "$${t%%:*}"; \
	done

fuzz: ## every fuzz target for FUZZTIME (default 2m each): make fuzz FUZZTIME=30m
	@set -e; for t in $(FUZZ_TARGETS); do \
	  echo "fuzz $${t##*:} ($${t%%:*}) for $(FUZZTIME)"; \
	  $(GO) test -run '^$$' -fuzz "^$${t##*:}$$" -fuzztime $(FUZZTIME) "$${t%%:*}"; \
	done

soak: build ## the service under HTTP load for SOAK_MINUTES (10): RSS, goroutines, open files at start and end (not in CI)
	$(GO) run ./cmd/numsense/internal/soak -bin bin/numsense -minutes $(SOAK_MINUTES)
