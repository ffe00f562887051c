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
	tests/unit/test-reconcile
UNIT_TEST_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
UNIT_TEST_LDADD = lib/libvtepd.la $(CHECK_LIBS)

tests_unit_test_switch_config_SOURCES = tests/unit/test-switch-config.c
tests_unit_test_switch_config_CFLAGS = $(UNIT_TEST_CFLAGS)
tests_unit_test_switch_config_LDADD = $(UNIT_TEST_LDADD)

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

tests_unit_test_reconcile_SOURCES = tests/unit/test-reconcile.c
tests_unit_test_reconcile_CFLAGS = $(UNIT_TEST_CFLAGS)
tests_unit_test_reconcile_LDADD = $(UNIT_TEST_LDADD)

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
	tests/system/24-mac-limits.sh

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
	tests/bench/local-learning.sh \
	tests/bench/remote-macs.sh \
	tests/bench/vtepbench.py
