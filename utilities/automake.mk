# utilities/ -- helper scripts.

EXTRA_DIST += utilities/ovs-prepare.sh
EXTRA_DIST += \
	utilities/examples/hv1.yaml \
	utilities/examples/hv2.yaml
