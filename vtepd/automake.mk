# vtepd/ -- the daemon.

sbin_PROGRAMS += vtepd/vtepd
vtepd_vtepd_SOURCES = \
	vtepd/fault-log.c \
	vtepd/fault-log.h \
	vtepd/privileges.c \
	vtepd/privileges.h \
	vtepd/vtepd.c
vtepd_vtepd_LDADD = lib/libvtepd.la $(CAPNG_LIBS)

man_MANS += vtepd/vtepd.conf.5
EXTRA_DIST += vtepd/vtepd.conf.5
man_MANS += vtepd/vtepd.8
EXTRA_DIST += vtepd/vtepd.8
