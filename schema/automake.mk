# schema/ -- C bindings for the hardware_vtep schema, generated at build
# time with ovsdb-idlc from the schema that the OVS tree (or installed OVS)
# provides.  Nothing generated here is committed.

EXTRA_DIST += schema/vtep-idl.ann

schema/vtep-idl.ovsidl: $(OVS_SCHEMA) schema/vtep-idl.ann
	$(AM_V_at)$(MKDIR_P) schema
	$(AM_V_GEN)$(OVSDB_IDLC) annotate $(OVS_SCHEMA) \
		$(srcdir)/schema/vtep-idl.ann > $@.tmp && mv $@.tmp $@

schema/vtep-idl.c: schema/vtep-idl.ovsidl
	$(AM_V_GEN)$(OVSDB_IDLC) c-idl-source $< > $@.tmp && mv $@.tmp $@

schema/vtep-idl.h: schema/vtep-idl.ovsidl
	$(AM_V_GEN)$(OVSDB_IDLC) c-idl-header $< > $@.tmp && mv $@.tmp $@

BUILT_SOURCES += schema/vtep-idl.h schema/vtep-idl.c
CLEANFILES += schema/vtep-idl.ovsidl schema/vtep-idl.c schema/vtep-idl.h

noinst_LTLIBRARIES += schema/libvtepidl.la
nodist_schema_libvtepidl_la_SOURCES = schema/vtep-idl.c schema/vtep-idl.h
