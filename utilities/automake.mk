# utilities/ -- preparing the OVS tree, the quick start, the classic lab,
# the lab tool vtep-lab and its topologies, example configurations and the
# systemd unit.

EXTRA_DIST += \
	utilities/ovs-prepare.sh \
	utilities/quickstart.sh \
	utilities/vtep-lab-classic.sh \
	utilities/vtepd@.service.in

dist_bin_SCRIPTS = utilities/vtep-lab
man_MANS += utilities/vtep-lab.8
EXTRA_DIST += utilities/vtep-lab.8

topologiesdir = $(pkgdatadir)/topologies
dist_topologies_DATA = \
	utilities/topologies/classic.yaml \
	utilities/topologies/ovn.yaml \
	utilities/topologies/routed.yaml \
	utilities/topologies/three-hosts.yaml

examplesdir = $(docdir)/examples
dist_examples_DATA = \
	utilities/examples/hv1.yaml \
	utilities/examples/hv2.yaml

systemdunitdir = $(prefix)/lib/systemd/system
systemdunit_DATA = utilities/vtepd@.service
CLEANFILES += utilities/vtepd@.service
utilities/vtepd@.service: utilities/vtepd@.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) utilities && \
	sed -e 's|[@]sbindir[@]|$(sbindir)|g' \
	    -e 's|[@]sysconfdir[@]|$(sysconfdir)|g' \
	    $(srcdir)/utilities/vtepd@.service.in > $@.tmp && mv $@.tmp $@
