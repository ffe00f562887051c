/* privileges.c -- the capabilities vtepd keeps when it runs as a user other
 * than root.
 *
 * Started by root with --user (daemonize_start()), vtepd keeps the
 * capabilities that libopenvswitch keeps for a daemon that programs the
 * kernel: CAP_NET_ADMIN, but also CAP_NET_RAW, CAP_NET_BROADCAST,
 * CAP_IPC_LOCK and CAP_NET_BIND_SERVICE.  Started by systemd or setpriv(1)
 * as a user with ambient capabilities, it has whatever it was given.
 * Either way, everything vtepd does after start needs CAP_NET_ADMIN alone
 * (see the datapath's "prepare" for what needs more, done before), so
 * that is all it keeps. */

#include <config.h>
#include "privileges.h"

#include <cap-ng.h>
#include <linux/capability.h>
#include <unistd.h>

#include "openvswitch/vlog.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(privileges);

/* If the process does not run as root, drops every capability but
 * CAP_NET_ADMIN from its effective, permitted, inheritable (and so ambient)
 * sets.  (The bounding set stays: changing it needs CAP_SETPCAP, and
 * without an execve() it grants nothing.)  Exits if that fails. */
void
privileges_drop_extra(void)
{
    if (!getuid() || !geteuid()) {
        return;
    }

    capng_get_caps_process();
    bool had_net_admin = capng_have_capability(CAPNG_EFFECTIVE,
                                               CAP_NET_ADMIN);
    capng_clear(CAPNG_SELECT_CAPS);
    if (had_net_admin
        && capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED,
                        CAP_NET_ADMIN)) {
        ovs_fatal(0, "keeping CAP_NET_ADMIN failed");
    }
    if (capng_apply(CAPNG_SELECT_CAPS)) {
        ovs_fatal(0, "dropping capabilities failed");
    }
    if (had_net_admin) {
        VLOG_INFO("running as uid %d with CAP_NET_ADMIN alone",
                  (int) geteuid());
    } else {
        VLOG_WARN("running as uid %d without CAP_NET_ADMIN: the datapath "
                  "cannot be programmed", (int) geteuid());
    }
}
