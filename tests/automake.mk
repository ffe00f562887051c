# tests/ -- unit tests (Check, unprivileged, "make check") and system tests
# (real ovsdb-server, vtep-ctl and kernel in network namespaces, as root,
# "make check-system").

TESTS += $(UNIT_TESTS)
check_PROGRAMS += $(UNIT_TESTS)
UNIT_TESTS =

UNIT_TESTS += \
	tests/unit/test-switch-config \
	tests/unit/test-model \
	tests/unit/test-model-limits \
	tests/unit/test-model-mcast \
	tests/unit/test-model-arp \
	tests/unit/test-model-keys \
	tests/unit/test-reconcile \
	tests/unit/test-reconcile-property \
	tests/unit/test-model-update \
	tests/unit/test-dp-local-macs \
	tests/unit/test-tunnel-bfd
UNIT_TEST_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
UNIT_TEST_LDADD = lib/libvtepd.la $(CHECK_LIBS)

tests_unit_test_switch_config_SOURCES = tests/unit/test-switch-config.c
tests_unit_test_switch_config_CFLAGS = $(UNIT_TEST_CFLAGS)
tests_unit_test_switch_config_LDADD = $(UNIT_TEST_LDADD)

tests_unit_test_dp_local_macs_SOURCES = tests/unit/test-dp-local-macs.c
tests_unit_test_dp_local_macs_CFLAGS = $(UNIT_TEST_CFLAGS)
tests_unit_test_dp_local_macs_LDADD = $(UNIT_TEST_LDADD)

tests_unit_test_tunnel_bfd_SOURCES = tests/unit/test-tunnel-bfd.c
tests_unit_test_tunnel_bfd_CFLAGS = $(UNIT_TEST_CFLAGS)
tests_unit_test_tunnel_bfd_LDADD = $(UNIT_TEST_LDADD)

tests_unit_test_model_SOURCES = \
	tests/unit/test-model.c \
	tests/unit/model-fixture.c \
	tests/unit/model-fixture.h
tests_unit_test_model_CFLAGS = $(UNIT_TEST_CFLAGS)
tests_unit_test_model_LDADD = $(UNIT_TEST_LDADD)

tests_unit_test_model_limits_SOURCES = \
	tests/unit/test-model-limits.c \
	tests/unit/model-fixture.c \
	tests/unit/model-fixture.h
tests_unit_test_model_limits_CFLAGS = $(UNIT_TEST_CFLAGS)
tests_unit_test_model_limits_LDADD = $(UNIT_TEST_LDADD)

tests_unit_test_model_mcast_SOURCES = \
	tests/unit/test-model-mcast.c \
	tests/unit/model-fixture.c \
	tests/unit/model-fixture.h
tests_unit_test_model_mcast_CFLAGS = $(UNIT_TEST_CFLAGS)
tests_unit_test_model_mcast_LDADD = $(UNIT_TEST_LDADD)

tests_unit_test_model_arp_SOURCES = \
	tests/unit/test-model-arp.c \
	tests/unit/model-fixture.c \
	tests/unit/model-fixture.h
tests_unit_test_model_arp_CFLAGS = $(UNIT_TEST_CFLAGS)
tests_unit_test_model_arp_LDADD = $(UNIT_TEST_LDADD)

tests_unit_test_model_keys_SOURCES = \
	tests/unit/test-model-keys.c \
	tests/unit/model-fixture.c \
	tests/unit/model-fixture.h
tests_unit_test_model_keys_CFLAGS = $(UNIT_TEST_CFLAGS)
tests_unit_test_model_keys_LDADD = $(UNIT_TEST_LDADD)

RECONCILE_FIXTURE = \
	tests/unit/reconcile-fixture.c \
	tests/unit/reconcile-fixture.h \
	tests/unit/model-fixture.c \
	tests/unit/model-fixture.h

tests_unit_test_reconcile_SOURCES = \
	tests/unit/test-reconcile.c \
	$(RECONCILE_FIXTURE)
tests_unit_test_reconcile_CFLAGS = $(UNIT_TEST_CFLAGS)
tests_unit_test_reconcile_LDADD = $(UNIT_TEST_LDADD)

tests_unit_test_reconcile_property_SOURCES = \
	tests/unit/test-reconcile-property.c \
	$(RECONCILE_FIXTURE)
tests_unit_test_reconcile_property_CFLAGS = $(UNIT_TEST_CFLAGS)
tests_unit_test_reconcile_property_LDADD = $(UNIT_TEST_LDADD)

tests_unit_test_model_update_SOURCES = \
	tests/unit/test-model-update.c \
	$(RECONCILE_FIXTURE)
tests_unit_test_model_update_CFLAGS = $(UNIT_TEST_CFLAGS)
tests_unit_test_model_update_LDADD = $(UNIT_TEST_LDADD)

# An 802.1Q VLAN interface made with lib/tc-vlan.c, for the system tests'
# VMs (the kernels they run on have no 802.1Q module).
noinst_PROGRAMS += tests/vlan-access
tests_vlan_access_SOURCES = tests/vlan-access.c
tests_vlan_access_LDADD = lib/libvtepd.la

EXTRA_DIST += \
	tests/run-all.sh \
	tests/system/lib.sh \
	tests/system/lib-ovs.sh \
	tests/system/lib-ovn.sh \
	tests/system/lib-lab.sh \
	tests/system/hostile-rows.py \
	tests/system/run.sh \
	tests/system/01-classic-lab.sh \
	tests/system/02-tagged-bindings.sh \
	tests/system/03-tunnel-key-change.sh \
	tests/system/04-cleanup.sh \
	tests/system/05-replication.sh \
	tests/system/06-isolation.sh \
	tests/system/07-config-file.sh \
	tests/system/08-dummy-datapath.sh \
	tests/system/09-restart.sh \
	tests/system/10-database-away.sh \
	tests/system/11-self-heal.sh \
	tests/system/12-ssl.sh \
	tests/system/13-linux-vxlan-host.sh \
	tests/system/14-ovs-host.sh \
	tests/system/15-ovs-vtep.sh \
	tests/system/16-ovn.sh \
	tests/system/17-ovn-controller-vtep-db.sh \
	tests/system/18-faults.sh \
	tests/system/19-tunnels.sh \
	tests/system/20-vtep-lab.sh \
	tests/system/21-binding-stats.sh \
	tests/system/22-mcast-groups.sh \
	tests/system/23-vtep-lab-tools.sh \
	tests/system/24-mac-limits.sh \
	tests/system/25-file-modes.sh \
	tests/system/26-raft-cluster.sh \
	tests/system/27-hostile-input.sh \
	tests/system/28-vtep-lab-topologies.sh \
	tests/system/29-least-privilege.sh \
	tests/system/30-large-first-sync.sh \
	tests/system/31-arp-suppression.sh \
	tests/system/32-database-outage.sh \
	tests/system/33-bfd.sh \
	tests/system/34-bfd-ovs-vtep.sh \
	tests/system/35-service-node-failover.sh \
	tests/system/36-locator-keys.sh \
	tests/system/37-incremental-macs.sh \
	tests/system/38-vlan-binding-runs.sh \
	tests/system/39-notification-overflow.sh \
	tests/system/40-remote-mac-condition.sh

# System tests: real ovsdb-server, vtep-ctl and kernel in network
# namespaces; needs root.
check-system: all
	VTEPD=$(abs_top_builddir)/vtepd/vtepd \
		$(SHELL) $(top_srcdir)/tests/system/run.sh $(TESTS_SYSTEM)
.PHONY: check-system

# Rebuilds everything with AddressSanitizer and UndefinedBehaviorSanitizer
# and runs the unit tests, then (as root) the system tests, whose harness
# fails a test if vtepd reported anything.  "make clean all" goes back to a
# normal build.
SANITIZER_CFLAGS = -g -O1 -fno-omit-frame-pointer \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined
check-sanitizers:
	$(MAKE) clean
	$(MAKE) CFLAGS="$(SANITIZER_CFLAGS)" all
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		$(MAKE) CFLAGS="$(SANITIZER_CFLAGS)" check
	if test "`id -u`" = 0; then \
		VTEPD_SANITIZERS=yes $(MAKE) check-system; \
	else \
		echo "not root: system tests not run"; \
	fi
.PHONY: check-sanitizers

# The flags of the sanitizer build, for tests/run-all.sh.
print-sanitizer-cflags:
	@echo '$(SANITIZER_CFLAGS)'
.PHONY: print-sanitizer-cflags

# The system tests with vtepd under valgrind memcheck; needs root.
check-valgrind: all
	VTEPD_VALGRIND=yes VTEPD=$(abs_top_builddir)/vtepd/vtepd \
		$(SHELL) $(top_srcdir)/tests/system/run.sh $(TESTS_SYSTEM)
.PHONY: check-valgrind

# Benchmarks: they print figures (see tests/bench/README.md); not tests.
EXTRA_DIST += \
	tests/bench/README.md \
	tests/bench/bench-lib.sh \
	tests/bench/dataplane.sh \
	tests/bench/growth.sh \
	tests/bench/local-learning.sh \
	tests/bench/remote-macs.sh \
	tests/bench/restart.sh \
	tests/bench/scale.sh \
	tests/bench/vtepbench.py

# libFuzzer targets (see tests/fuzz/README.md).  "make fuzz" builds them
# with clang ($(FUZZ_CC)): the harness and the vtepd sources it covers are
# compiled with coverage and the sanitizers, libopenvswitch is linked as
# built.  "make fuzz-run" runs each for $(FUZZ_SECONDS) seconds on a
# scratch copy of its corpus under $TMPDIR, says "NAME: passed" or
# "NAME: failed" for each, keeps what a fuzzer found as
# tests/fuzz/crash-* (or leak-*, timeout-*...) and fails if any did.
FUZZ_CC = clang
FUZZ_CFLAGS = -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_SECONDS = 60
FUZZ_LINK = $(LIBTOOL) $(AM_V_lt) --tag=CC --mode=link $(FUZZ_CC) \
	$(AM_CPPFLAGS) $(CPPFLAGS) $(WARNING_CFLAGS) $(FUZZ_CFLAGS) $(LDFLAGS)
FUZZERS = tests/fuzz/fuzz-switch-config tests/fuzz/fuzz-rtnl
FUZZ_SWITCH_CONFIG_SRC = \
	tests/fuzz/fuzz-switch-config.c \
	lib/switch-config.c
FUZZ_RTNL_SRC = \
	tests/fuzz/fuzz-rtnl.c \
	lib/rtnl-link.c \
	lib/rtnl-fdb.c
CLEANFILES += $(FUZZERS)

# libtool leaves an empty tests/fuzz/.libs behind when it links them.
clean-local:
	rm -rf tests/fuzz/.libs

EXTRA_DIST += \
	tests/fuzz/README.md \
	tests/fuzz/fuzz-switch-config.c \
	tests/fuzz/fuzz-rtnl.c \
	tests/fuzz/make-rtnl-corpus.py \
	tests/fuzz/corpus/switch-config/all-keys.yaml \
	tests/fuzz/corpus/switch-config/anchors.yaml \
	tests/fuzz/corpus/switch-config/bad-duplicate-key.yaml \
	tests/fuzz/corpus/switch-config/bad-ipv6.yaml \
	tests/fuzz/corpus/switch-config/bad-syntax.yaml \
	tests/fuzz/corpus/switch-config/bad-two-documents.yaml \
	tests/fuzz/corpus/switch-config/bad-utf8.yaml \
	tests/fuzz/corpus/switch-config/bad-values.yaml \
	tests/fuzz/corpus/switch-config/empty.yaml \
	tests/fuzz/corpus/switch-config/flow-style.yaml \
	tests/fuzz/corpus/switch-config/hv1.yaml \
	tests/fuzz/corpus/switch-config/hv2.yaml \
	tests/fuzz/corpus/rtnl/dellink-port.bin \
	tests/fuzz/corpus/rtnl/delneigh-ext-learned.bin \
	tests/fuzz/corpus/rtnl/dump-fdb.bin \
	tests/fuzz/corpus/rtnl/dump-links.bin \
	tests/fuzz/corpus/rtnl/newlink-af-bridge.bin \
	tests/fuzz/corpus/rtnl/newlink-bridge.bin \
	tests/fuzz/corpus/rtnl/newlink-port.bin \
	tests/fuzz/corpus/rtnl/newlink-veth.bin \
	tests/fuzz/corpus/rtnl/newlink-vxlan.bin \
	tests/fuzz/corpus/rtnl/newneigh-arp.bin \
	tests/fuzz/corpus/rtnl/newneigh-flood-ipv6.bin \
	tests/fuzz/corpus/rtnl/newneigh-learned.bin \
	tests/fuzz/corpus/rtnl/newneigh-remote.bin

tests/fuzz/fuzz-switch-config: $(FUZZ_SWITCH_CONFIG_SRC) lib/switch-config.h
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CCLD)$(FUZZ_LINK) -o $@ \
		$(FUZZ_SWITCH_CONFIG_SRC:%=$(srcdir)/%) $(OVS_LIBS) $(YAML_LIBS)
tests/fuzz/fuzz-rtnl: $(FUZZ_RTNL_SRC) lib/rtnl-link.h lib/rtnl-fdb.h
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CCLD)$(FUZZ_LINK) -o $@ $(FUZZ_RTNL_SRC:%=$(srcdir)/%) $(OVS_LIBS)

fuzz: $(FUZZERS)
.PHONY: fuzz

fuzz-run: fuzz
	@failed=0; \
	for fuzzer in $(FUZZERS); do \
	    name=`basename $$fuzzer`; \
	    corpus=$(srcdir)/tests/fuzz/corpus/`echo $$name | sed 's/^fuzz-//'`; \
	    scratch=`mktemp -d "$${TMPDIR:-/tmp}/vtepd-$$name.XXXXXX"` \
	        || exit 1; \
	    cp $$corpus/* $$scratch/ || exit 1; \
	    echo "=== $$name, $(FUZZ_SECONDS) s, corpus $$corpus"; \
	    if ./$$fuzzer -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	            -print_final_stats=1 -artifact_prefix=tests/fuzz/ \
	            $$scratch; then \
	        echo "$$name: passed"; \
	    else \
	        echo "$$name: failed (see tests/fuzz/ for what it found)"; \
	        failed=`expr $$failed + 1`; \
	    fi; \
	    rm -rf $$scratch; \
	done; \
	test $$failed = 0
.PHONY: fuzz-run
