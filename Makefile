# svkit — see README.  `make` builds bin/, `make test` runs the suite.
#
# Layout: every directory src/PROG/ (except src/lib/) is one program, built
# from all its .c files plus src/lib into bin/PROG.  A directory holding
# PROG.sh instead is a shell script, installed as bin/PROG.  Unit tests are
# tests/unit/NAME.c, built into build/*/unit/NAME.t and run by prove with the
# shell tests tests/*.t.  SANITIZE=1 builds with ASan+UBSan, dynamically, into
# build/san/bin instead of bin/, and `make test SANITIZE=1` tests those.

CC       ?= cc
PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man
OPT      ?= -O2
CFLAGS_W  = -std=c99 -Wall -Wextra -Werror
CPPFLAGS += -D_GNU_SOURCE -Isrc/lib
LDLIBS    = -lskarnet
PROVE_JOBS ?= 2

# Programs that look accounts up stay dynamic so that NSS works.
DYNAMIC_PROGS = setuidgid envuidgid

ifeq ($(SANITIZE),1)
  SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
  OPT      = -O1 -g
  STATIC   =
  BUILD    = build/san
  OUT      = build/san/bin
else
  SANFLAGS =
  STATIC   = -static
  BUILD    = build/std
  OUT      = bin
endif

CFLAGS_ALL = $(CFLAGS_W) $(OPT) $(SANFLAGS) $(CFLAGS)

C_PROGS     := $(sort $(notdir $(patsubst %/,%,$(dir $(wildcard src/*/*.c)))))
C_PROGS     := $(filter-out lib,$(C_PROGS))
SH_PROGS    := $(sort $(notdir $(basename $(wildcard src/*/*.sh))))
PROGS       := $(C_PROGS) $(SH_PROGS)
LIB_SRC     := $(wildcard src/lib/*.c)
LIB_OBJ     := $(patsubst src/lib/%.c,$(BUILD)/lib/%.o,$(LIB_SRC))
LIB_A       := $(BUILD)/libsvkit.a
UNIT_SRC    := $(wildcard tests/unit/*.c)
UNIT_BIN    := $(patsubst tests/unit/%.c,$(BUILD)/unit/%.t,$(UNIT_SRC))
MANPAGES    := $(wildcard doc/*.8)

all: deps $(addprefix $(OUT)/,$(PROGS))

# ---- build dependencies ------------------------------------------------------
# skalibs headers and the static library; install them when we are root.
HASH := \#
SKALIBS_OK := $(shell printf '$(HASH)include <skalibs/skalibs.h>\nint main(void){return 0;}\n' | \
  $(CC) -x c -o /dev/null - -lskarnet >/dev/null 2>&1 && echo yes)

deps:
ifneq ($(SKALIBS_OK),yes)
	@if [ "$$(id -u)" = 0 ]; then \
	  echo "svkit: skalibs-dev is missing; installing it with apt-get"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends skalibs-dev || \
	  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends skalibs-dev; } || \
	  { echo "svkit: could not install skalibs-dev" >&2; exit 1; }; \
	else \
	  echo "svkit: the skalibs development files are missing. Run as root:" >&2; \
	  echo "    apt-get install skalibs-dev" >&2; \
	  exit 1; \
	fi
endif

# ---- compilation ---------------------------------------------------------------
$(BUILD)/lib/%.o: src/lib/%.c src/lib/svkit.h | deps
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS_ALL) -c -o $@ $<

$(LIB_A): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: src/%.c src/lib/svkit.h $(wildcard src/*/*.h) | deps
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS_ALL) -c -o $@ $<

define prog_rule
$(OUT)/$(1): $(patsubst src/%.c,$(BUILD)/%.o,$(wildcard src/$(1)/*.c)) $(LIB_A)
	@mkdir -p $(OUT)
	$$(CC) $$(CFLAGS_ALL) $(if $(filter $(1),$(DYNAMIC_PROGS)),,$$(STATIC)) $$(LDFLAGS) -o $$@ $$^ $$(LDLIBS)
endef
$(foreach p,$(C_PROGS),$(eval $(call prog_rule,$(p))))

define script_rule
$(OUT)/$(1): src/$(1)/$(1).sh
	@mkdir -p $(OUT)
	cp $$< $$@
	chmod 755 $$@
endef
$(foreach p,$(SH_PROGS),$(eval $(call script_rule,$(p))))

# a unit test may #include a program's own .c file (svscan-htab.c, supervise-lifecycle.c do)
$(BUILD)/unit/%.t: tests/unit/%.c tests/unit/tap.h $(LIB_A) $(wildcard src/*/*.c src/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests/unit $(CFLAGS_ALL) -o $@ $< $(LIB_A) $(LDLIBS)

# ---- test --------------------------------------------------------------------
test: all $(UNIT_BIN)
	SVKIT_BIN=$(CURDIR)/$(OUT) prove --exec '' -j$(PROVE_JOBS) $(UNIT_BIN) $(sort $(wildcard tests/*.t))

check: test

# ---- demo --------------------------------------------------------------------
# Supervise the example services in a scratch directory and show them working.
demo: all
	sh service-examples/demo.sh $(CURDIR)/$(OUT)

# ---- bench (not part of test): svkit against daemontools, runit and s6 --------
# QUICK=1 for the short run.  See doc/benchmarks.md.
bench: all
	QUICK=$(QUICK) SVKIT_BIN=$(CURDIR)/$(OUT) sh tests/bench/bench.sh

.PHONY: bench

# ---- faults (not part of test): the long fault suite --------------------------
# tests/faults-*.t run short in `make test`; here with FAULTS_LONG=1, one at a
# time, then a table: fault, runs, lost, duplicated, recovered.  doc/faults.md.
faults: all
	SVKIT_BIN=$(CURDIR)/$(OUT) sh tests/faults/run.sh

.PHONY: faults

# ---- fuzz (not part of test): libFuzzer targets tests/fuzz/NAME.c -------------
# `make fuzz SECONDS=N` builds every target with clang into build/fuzz/ and
# runs each for N seconds on tests/fuzz/corpus/NAME (new inputs go to
# build/fuzz/corpus/NAME, crashes to build/fuzz/crashes/).  `make fuzz-merge`
# adds what the runs found to the committed corpus.  See doc/fuzzing.md.
FUZZ_CC      ?= clang
SECONDS      ?= 60
FUZZ_TARGETS := $(filter-out replay,$(basename $(notdir $(wildcard tests/fuzz/*.c))))
FUZZ_FLAGS    = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
                -fno-omit-frame-pointer -std=c99 -Wall -Wextra $(CPPFLAGS)

build/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(LIB_SRC) src/lib/svkit.h $(wildcard src/*/*.c src/*/*.h) | deps
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(LIB_SRC) $(LDLIBS)

fuzz: $(addprefix build/fuzz/,$(FUZZ_TARGETS))
	@fail=0 ; for t in $(FUZZ_TARGETS) ; do \
	  mkdir -p build/fuzz/corpus/$$t build/fuzz/crashes ; \
	  echo "fuzz: $$t: running for $(SECONDS) s" ; \
	  nice -n 19 build/fuzz/$$t -max_total_time=$(SECONDS) -timeout=10 -print_final_stats=1 \
	    -artifact_prefix=build/fuzz/crashes/$$t- build/fuzz/corpus/$$t tests/fuzz/corpus/$$t \
	    >build/fuzz/$$t.log 2>&1 || { fail=1 ; echo "fuzz: $$t: FAILED, see build/fuzz/$$t.log and build/fuzz/crashes/" ; } ; \
	  awk -v t=$$t '/stat::number_of_executed_units/ { r = $$2 } \
	    / cov: / { for (i = 1 ; i < NF ; i++) { if ($$i == "cov:") c = $$(i+1) ; if ($$i == "ft:") f = $$(i+1) ; if ($$i == "corp:") n = $$(i+1) } } \
	    END { printf "fuzz: %s: %s executions, cov: %s, ft: %s, corpus: %s\n", t, r, c, f, n }' build/fuzz/$$t.log ; \
	done ; exit $$fail

fuzz-merge: $(addprefix build/fuzz/,$(FUZZ_TARGETS))
	@for t in $(FUZZ_TARGETS) ; do \
	  mkdir -p build/fuzz/corpus/$$t tests/fuzz/corpus/$$t ; \
	  build/fuzz/$$t -merge=1 tests/fuzz/corpus/$$t build/fuzz/corpus/$$t 2>&1 | tail -1 ; \
	done

.PHONY: fuzz fuzz-merge

# ---- install -----------------------------------------------------------------
install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man8
	for p in $(PROGS); do install -m 755 $(OUT)/$$p $(DESTDIR)$(BINDIR)/$$p || exit 1; done
	for m in $(MANPAGES); do install -m 644 $$m $(DESTDIR)$(MANDIR)/man8/ || exit 1; done

uninstall:
	for p in $(PROGS); do rm -f $(DESTDIR)$(BINDIR)/$$p; done
	for m in $(notdir $(MANPAGES)); do rm -f $(DESTDIR)$(MANDIR)/man8/$$m; done

clean:
	rm -rf bin build

.PHONY: all deps test check demo install uninstall clean
