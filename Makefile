# numsense: build, test and package. `make help` lists the targets.
SHELL := /bin/bash
GO ?= go
# The version stamped into the binaries and the packages, from the git tags
# (firmware/version.sh: 1.2.0 at a tag, 1.2.0+gitDATE.N.HASH after it,
# 0.0.0~gitDATE.N.HASH before the first); make VERSION=... overrides it. Worked out
# once, when first used.
VERSION = $(eval VERSION := $$(shell firmware/version.sh))$(VERSION)
# Packaged files get the last commit's time, so the same commit gives the same bytes.
SOURCE_DATE_EPOCH = $(eval SOURCE_DATE_EPOCH := $$(shell git log -1 --format=%ct 2>/dev/null))$(SOURCE_DATE_EPOCH)
# -buildvcs=false: the version already names the commit, and the binary must not
# depend on whether the machine's go stamps VCS data (GOFLAGS differ).
LDFLAGS = -s -w -X main.version=$(VERSION)
GOBUILD = CGO_ENABLED=0 $(GO) build -trimpath -buildvcs=false -ldflags '$(LDFLAGS)'
DIST ?= dist
PKGS := ./...
SHARED := $(abspath ../shared)
# Under the other arm64 core models: the kernels (whose dispatch differs per core) and the
# engine tests that run them end to end (bit-exact against the integer reference, golden).
DISPATCH_PKGS := ./model/kernel/...
DISPATCH_RUN := TestGolden|TestEngineMatchesIntReference|TestEngineThreadsAgree
QEMU_ARM64 := qemu-aarch64-static
QEMU_ARM := qemu-arm-static

.PHONY: help build run pi pi-arm64 pi-armv7 pi-armv6 man version test test-host test-arm test-browser check bench \
	deb deb-arm64 deb-armhf deb-tools deb-check deploy clean qemu chromium screenshots fmt vet

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

build: ## build bin/numsense for this machine
	$(GOBUILD) -o bin/numsense ./cmd/numsense

run: ## run the main job on embedded defaults (synthetic camera, terminal display)
	$(GO) run ./cmd/numsense run

pi: pi-arm64 pi-armv7 pi-armv6 ## cross-build the three Raspberry Pi binaries into bin/
	@ls -l bin/numsense-linux-*

STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

vet: ## gofmt, go vet and staticcheck (pinned version, fetched by go run)
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) run $(STATICCHECK) $(PKGS)

test-host: deb-tools vet ## every test on this machine
	$(GO) test -count=1 $(PKGS)

qemu: ## install qemu-user-static when missing (needs root and apt-get)
	@if ! command -v $(QEMU_ARM64) >/dev/null || ! command -v $(QEMU_ARM) >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing qemu-user-static"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-user-static) >/dev/null || exit 1; \
	  else echo "make test-arm needs qemu-user-static (apt-get install qemu-user-static)"; exit 1; fi; \
	fi

chromium: ## install Debian's chromium when missing (needs root and apt-get; NUMSENSE_CHROMIUM names another browser)
	@if [ -z "$$NUMSENSE_CHROMIUM" ] && ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing chromium"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null || \
	      { echo "make chromium: apt-get install chromium failed; the browser test needs it"; exit 1; }; \
	  else echo "make test-browser needs chromium: as root, apt-get install chromium (or set NUMSENSE_CHROMIUM to a Chromium binary)"; exit 1; fi; \
	fi

test-browser: chromium ## the web page in headless Chromium against numsense run (host only)
	$(GO) vet -tags browser ./cmd/numsense/
	$(GO) test -count=1 -tags browser -run TestBrowser ./cmd/numsense/

screenshots: chromium ## rewrite docs/page-1920x1080.png and docs/page-390x844.png (the browser test's)
	NUMSENSE_SCREENSHOTS=$(CURDIR)/docs $(GO) test -count=1 -tags browser -run 'TestBrowserPage$$' ./cmd/numsense/

test-arm: qemu ## the test suite under qemu: arm64 (Cortex-A53, A72, A76) and 32-bit armv7, reduced size (-short)
	GOARCH=arm64 $(GO) test -count=1 -short -exec '$(QEMU_ARM64) -cpu cortex-a72' $(PKGS)
	GOARCH=arm64 $(GO) test -count=1 -short -exec '$(QEMU_ARM64) -cpu cortex-a53' $(DISPATCH_PKGS)
	GOARCH=arm64 $(GO) test -count=1 -short -exec '$(QEMU_ARM64) -cpu cortex-a53' -run '$(DISPATCH_RUN)' ./model ./model/floatnet
	GOARCH=arm64 $(GO) test -count=1 -short -exec '$(QEMU_ARM64) -cpu cortex-a76' $(DISPATCH_PKGS)
	GOARCH=arm64 $(GO) test -count=1 -short -exec '$(QEMU_ARM64) -cpu cortex-a76' -run '$(DISPATCH_RUN)' ./model ./model/floatnet
	@# armv7 runs the portable kernels, the slowest path: one package at a time (-p 1), so that
	@# no package's tests share the cores with another's (each stays under 2 minutes).
	GOARCH=arm GOARM=7 $(GO) test -count=1 -short -p 1 -exec '$(QEMU_ARM)' $(PKGS)

test: test-host ## alias of test-host

check: ## every test: host, the page in Chromium, a short fuzz of every parser, then emulated arm64 and armv7 (the README and CI command); prints the total time
	@start=$$(date +%s); $(MAKE) --no-print-directory test-host test-browser fuzz-short test-arm; rc=$$?; \
	  echo "make check: $$(( $$(date +%s) - start )) s in all (exit $$rc)"; exit $$rc

bench: ## benchmarks and the tracked name=value figures (see docs/performance.md)
	./.ci/bench

# One Pi binary: bin/numsense-linux-arm64, -armv7 or -armv6.
PI_ENV_arm64 := GOARCH=arm64
PI_ENV_armv7 := GOARCH=arm GOARM=7
PI_ENV_armv6 := GOARCH=arm GOARM=6
pi-arm64 pi-armv7 pi-armv6: pi-%:
	GOOS=linux $(PI_ENV_$*) $(GOBUILD) -o bin/numsense-linux-$* ./cmd/numsense

version: ## print the version make stamps into the binaries and packages
	@echo '$(VERSION)'

man: ## the manual page numsense(1), made from the --help texts, into bin/numsense.1
	@mkdir -p bin
	SOURCE_DATE_EPOCH='$(SOURCE_DATE_EPOCH)' $(GO) run -buildvcs=false -ldflags '-X main.version=$(VERSION)' ./cmd/numsense help --man >bin/numsense.1.tmp
	@mv bin/numsense.1.tmp bin/numsense.1

deb: deb-arm64 deb-armhf ## Debian packages for the Pi into dist/ (armhf holds the ARMv6 binary: every Pi)

# build-deb ARCH PIBINARY: the copyright file of the binary's Go modules, then the package.
define build-deb
	$(GO) run -buildvcs=false ./firmware/notices -o bin/copyright-$(1) bin/numsense-linux-$(2)
	SOURCE_DATE_EPOCH='$(SOURCE_DATE_EPOCH)' firmware/build-deb.sh '$(VERSION)' $(1) bin/numsense-linux-$(2) bin/numsense.1 bin/copyright-$(1) $(DIST)
endef
deb-arm64: deb-tools pi-arm64 man
	$(call build-deb,arm64,arm64)
# Raspberry Pi OS armhf is built for ARMv6 so that it runs on the Pi Zero and Pi 1:
# the armhf package holds the GOARM=6 binary.
deb-armhf: deb-tools pi-armv6 man
	$(call build-deb,armhf,armv6)

# What make deb and make deb-check need; apt-get installs them when missing (as root),
# else a note says what is missing and build-deb.sh or lintian stop where they need it.
DEB_PACKAGES := debhelper dpkg-dev lintian
deb-tools: ## install debhelper, dpkg-dev and lintian when missing (needs root and apt-get)
	@if ! command -v dh_installsystemd >/dev/null || ! command -v dpkg-architecture >/dev/null || ! command -v lintian >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing $(DEB_PACKAGES)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(DEB_PACKAGES)) >/dev/null || exit 1; \
	  else echo "note: $(DEB_PACKAGES) are not all installed and cannot be here (not root, or no apt-get):" \
	    "make deb needs debhelper and dpkg-dev, make deb-check also lintian; the packaging tests skip"; \
	  fi; \
	fi

deb-check: deb-tools ## make deb, lintian on the packages, and a second make deb (umask 077) that must give the same bytes
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory deb && \
	debs=$$(ls $(DIST)/numsense_'$(VERSION)'-*_arm64.deb $(DIST)/numsense_'$(VERSION)'-*_armhf.deb) && \
	echo "lintian $$debs" && \
	lintian --fail-on error,warning --display-info --display-experimental --pedantic $$debs && \
	rm -rf $(DIST)/.again && \
	(umask 077 && $(MAKE) --no-print-directory deb DIST=$(DIST)/.again) && \
	for f in $$debs; do cmp "$$f" $(DIST)/.again/$${f##*/} || exit 1; done && \
	sha256sum $$debs && rm -rf $(DIST)/.again && \
	echo "deb-check: lintian clean, two builds identical ($$(( $$(date +%s) - start )) s)"

deploy: ## install on a Pi over ssh: make deploy HOST=pi.local (asks the Pi its architecture, then builds that package)
	@test -n '$(HOST)' || { echo "usage: make deploy HOST=pi.local (anything ssh accepts)"; exit 2; }
	@arch=$$(firmware/deploy.sh --arch '$(HOST)') && \
	$(MAKE) --no-print-directory deb-$$arch && \
	firmware/deploy.sh '$(HOST)' $(DIST)/numsense_'$(VERSION)'-$${NUMSENSE_DEB_REVISION:-1}_$$arch.deb

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
