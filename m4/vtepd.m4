# m4/vtepd.m4 -- vtepd's own configure checks.

# VTEPD_ENABLE_WARNINGS: compile with -Wall -Wextra -Werror (and a few more
# that the OVS code base is clean for) unless --disable-werror is given.
AC_DEFUN([VTEPD_ENABLE_WARNINGS], [
  AC_ARG_ENABLE([werror],
    [AS_HELP_STRING([--disable-werror], [do not treat warnings as errors])],
    [], [enable_werror=yes])
  WARNING_CFLAGS="-Wall -Wextra -Wno-sign-compare -Wno-unused-parameter \
-Wstrict-prototypes -Wmissing-prototypes -Wold-style-definition \
-Wpointer-arith -Wformat-security -fno-strict-aliasing"
  AS_IF([test "$enable_werror" = yes],
        [WARNING_CFLAGS="$WARNING_CFLAGS -Werror"])
  AC_SUBST([WARNING_CFLAGS])
])

# VTEPD_FIND_OVS: locate libopenvswitch.
#
# With --with-ovs-source=DIR (and optionally --with-ovs-build=DIR, which
# defaults to the source tree) vtepd builds against an OVS tree, the way
# OVN does.  Without either option, `pkg-config libopenvswitch` is tried
# first, then the tree that utilities/ovs-prepare.sh prepares by default.
#
# Sets OVS_CFLAGS, OVS_LIBS (libtool archive or -l flags), OVS_SCHEMA (the
# hardware_vtep schema) and OVSDB_IDLC (how to run the IDL compiler).
AC_DEFUN([VTEPD_FIND_OVS], [
  AC_ARG_WITH([ovs-source],
    [AS_HELP_STRING([--with-ovs-source=DIR],
                    [build against the Open vSwitch source tree in DIR])],
    [], [with_ovs_source=])
  AC_ARG_WITH([ovs-build],
    [AS_HELP_STRING([--with-ovs-build=DIR],
                    [Open vSwitch build tree (default: the source tree)])],
    [], [with_ovs_build=])
  vtepd_default_ovs=/usr/local/src/vtepd-ovs

  AS_IF([test -z "$with_ovs_source" && test -z "$with_ovs_build"], [
    PKG_CHECK_MODULES([LIBOVS], [libopenvswitch >= 2.17],
                      [vtepd_ovs_pkg=yes], [vtepd_ovs_pkg=no])
    AS_IF([test "$vtepd_ovs_pkg" = no], [
      AC_MSG_CHECKING([for an OVS tree at $vtepd_default_ovs])
      AS_IF([test -f "$vtepd_default_ovs/lib/libopenvswitch.la"],
            [AC_MSG_RESULT([yes]); with_ovs_source=$vtepd_default_ovs],
            [AC_MSG_RESULT([no])
             AC_MSG_ERROR([libopenvswitch not found.  Run
utilities/ovs-prepare.sh (Debian: needs openvswitch-source) or give
--with-ovs-source=DIR.])])
    ])
  ])

  AS_IF([test -n "$with_ovs_source$with_ovs_build"], [
    test -n "$with_ovs_source" || with_ovs_source=$with_ovs_build
    test -n "$with_ovs_build" || with_ovs_build=$with_ovs_source
    OVS_SRCDIR=`cd "$with_ovs_source" && pwd` ||
      AC_MSG_ERROR([$with_ovs_source: no such directory])
    OVS_BUILDDIR=`cd "$with_ovs_build" && pwd` ||
      AC_MSG_ERROR([$with_ovs_build: no such directory])
    AS_IF([test ! -f "$OVS_BUILDDIR/lib/libopenvswitch.la"],
          [AC_MSG_ERROR([$OVS_BUILDDIR has no lib/libopenvswitch.la; build OVS first])])
    AS_IF([test ! -f "$OVS_BUILDDIR/config.h"],
          [AC_MSG_ERROR([$OVS_BUILDDIR has no config.h; configure OVS first])])
    OVS_CFLAGS="-I$OVS_BUILDDIR -I$OVS_SRCDIR/include -I$OVS_BUILDDIR/include \
-I$OVS_SRCDIR/lib -I$OVS_BUILDDIR/lib -I$OVS_SRCDIR"
    OVS_LIBS="$OVS_BUILDDIR/lib/libopenvswitch.la"
    OVS_SCHEMA="$OVS_SRCDIR/vtep/vtep.ovsschema"
    OVSDB_IDLC="PYTHONPATH=$OVS_SRCDIR/python \$(PYTHON) $OVS_SRCDIR/ovsdb/ovsdb-idlc.in"
  ], [
    # A distribution's libopenvswitch: its lib/ headers live next to the
    # public ones, and the schema and IDL compiler are installed programs.
    vtepd_ovs_inc=`$PKG_CONFIG --variable=includedir libopenvswitch`
    OVS_CFLAGS="$LIBOVS_CFLAGS -I$vtepd_ovs_inc/openvswitch -I$vtepd_ovs_inc/openvswitch/lib"
    OVS_LIBS="$LIBOVS_LIBS"
    AC_PATH_PROG([OVSDB_IDLC], [ovsdb-idlc])
    AS_IF([test -z "$OVSDB_IDLC"], [AC_MSG_ERROR([ovsdb-idlc not found])])
    for f in /usr/share/openvswitch/vtep.ovsschema \
             /usr/local/share/openvswitch/vtep.ovsschema; do
      test -f "$f" && OVS_SCHEMA=$f && break
    done
    AS_IF([test -z "$OVS_SCHEMA"], [AC_MSG_ERROR([vtep.ovsschema not found])])
  ])
  AC_SUBST([OVS_CFLAGS])
  AC_SUBST([OVS_LIBS])
  AC_SUBST([OVS_SCHEMA])
  AC_SUBST([OVSDB_IDLC])
  AC_MSG_NOTICE([libopenvswitch: $OVS_LIBS])
  AC_MSG_NOTICE([hardware_vtep schema: $OVS_SCHEMA])
])
