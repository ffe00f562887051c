# utilities/ -- preparing the OVS tree, the quick start, the classic lab,
# example configurations and the systemd unit.

EXTRA_DIST += \
	utilities/ovs-prepare.sh \
	utilities/quickstart.sh \
	utilities/vtep-lab-classic.sh \
	utilities/vtepd@.service.in

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
