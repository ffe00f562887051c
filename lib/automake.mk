# lib/ -- the engine: config, model, reconcile, datapath providers, vtep-db.

noinst_LTLIBRARIES += lib/libvtepd.la
lib_libvtepd_la_SOURCES = \
	lib/switch-config.c lib/switch-config.h \
	lib/dp-state.c lib/dp-state.h \
	lib/faults.c lib/faults.h \
	lib/model.c lib/model.h \
	lib/reconcile.c lib/reconcile.h \
	lib/remote-mac-cond.c lib/remote-mac-cond.h \
	lib/dp.c lib/dp.h \
	lib/dp-dummy.c \
	lib/dp-linux.c lib/dp-linux-private.h \
	lib/dp-linux-adopt.c \
	lib/dp-linux-arp.c \
	lib/dp-linux-bind.c \
	lib/dp-linux-links.c \
	lib/rtnl-link.c lib/rtnl-link.h \
	lib/rtnl-fdb.c lib/rtnl-fdb.h \
	lib/rtnl-neigh.c lib/rtnl-neigh.h \
	lib/tc-vlan.c lib/tc-vlan.h \
	lib/tunnel-bfd.c lib/tunnel-bfd.h \
	lib/vtep-db.c lib/vtep-db.h
lib_libvtepd_la_LIBADD = schema/libvtepidl.la $(OVS_LIBS) $(YAML_LIBS)
