# utilities/ -- preparing the OVS tree, the quick start and the classic lab.

EXTRA_DIST += \
	utilities/ovs-prepare.sh \
	utilities/quickstart.sh \
	utilities/vtep-lab-classic.sh \
	utilities/examples/hv1.yaml \
	utilities/examples/hv2.yaml
