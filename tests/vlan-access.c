/* vlan-access.c -- an 802.1Q VLAN interface on a kernel without 802.1Q, for
 * the system tests.
 *
 * Usage: vlan-access TRUNK VLAN NAME [MAC]
 *
 * Creates, in the current network namespace, device NAME that behaves like
 * "ip link add link TRUNK name NAME type vlan id VLAN" would: frames sent on
 * NAME leave TRUNK tagged with VLAN, and frames that arrive on TRUNK tagged
 * with VLAN come out of NAME untagged.  Frames that arrive on TRUNK
 * untagged, or tagged with a VLAN that has no such device, go on as before.
 * NAME gets MAC if given, and is up on return (with no address).
 *
 * NAME is one end of a veth pair; the other end, "NAME-p", carries the
 * alias "vlan-access:trunk=TRUNK:vlan=VLAN" and a tc-vlan tagger program.
 * TRUNK's tc-vlan trunk program is rebuilt from those aliases each time, so
 * that one TRUNK can carry several VLANs.  Deleting NAME (or the namespace)
 * removes the pair; the trunk program stays until it is rebuilt. */

#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "openvswitch/vlog.h"
#include "packets.h"
#include "rtnl-link.h"
#include "tc-vlan.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(vlan_access);

/* Context for vlan_access_trunk_cb(). */
struct vlan_access_ctx {
    const char *prefix;         /* "vlan-access:trunk=TRUNK:vlan=". */
    struct tc_vlan_trunk trunk; /* VLANs found so far. */
};

/* rtnl_link_dump() callback: adds to the trunk configuration in 'ctx_' the
 * VLAN whose tagging end 'link' is, if it is one of the trunk's. */
static void
vlan_access_trunk_cb(const struct rtnl_link *link, void *ctx_)
{
    struct vlan_access_ctx *ctx = ctx_;
    size_t n = strlen(ctx->prefix);
    unsigned int vid;

    if (!strncmp(link->alias, ctx->prefix, n)
        && str_to_uint(link->alias + n, 10, &vid)
        && vid >= 1 && vid <= 4095) {
        tc_vlan_trunk_add(&ctx->trunk, vid, link->ifindex);
    }
}

/* Prints usage and exits. */
static void
usage(void)
{
    printf("%s: an 802.1Q VLAN interface made of a veth pair and tc eBPF\n"
           "usage: %s TRUNK VLAN NAME [MAC]\n",
           program_name, program_name);
    exit(EXIT_SUCCESS);
}

int
main(int argc, char *argv[])
{
    struct rtnl_link trunk, want, access, tagger;
    struct vlan_access_ctx ctx;
    const char *trunk_name, *name;
    struct eth_addr mac;
    unsigned int vid;
    char *alias;
    int error;

    set_program_name(argv[0]);
    vlog_set_levels(NULL, VLF_ANY_DESTINATION, VLL_WARN);
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        usage();
    }
    if (argc != 4 && argc != 5) {
        ovs_fatal(0, "usage: %s TRUNK VLAN NAME [MAC] (--help for help)",
                  program_name);
    }
    trunk_name = argv[1];
    name = argv[3];
    if (!str_to_uint(argv[2], 10, &vid) || vid < 1 || vid > 4095) {
        ovs_fatal(0, "%s: VLAN must be 1 to 4095", argv[2]);
    }
    if (strlen(name) + 2 >= IFNAMSIZ) {
        ovs_fatal(0, "%s: name too long (at most %d characters)",
                  name, IFNAMSIZ - 3);
    }
    if (argc == 5 && !eth_addr_from_string(argv[4], &mac)) {
        ovs_fatal(0, "%s: not a MAC address", argv[4]);
    }

    error = rtnl_link_get(trunk_name, &trunk);
    if (error) {
        ovs_fatal(error, "%s", trunk_name);
    }

    memset(&want, 0, sizeof want);
    ovs_strlcpy(want.kind, "veth", sizeof want.kind);
    ovs_strlcpy(want.name, name, sizeof want.name);
    snprintf(want.peer, sizeof want.peer, "%s-p", name);
    want.mtu = trunk.mtu;
    error = rtnl_link_create(&want);
    if (error) {
        ovs_fatal(error, "creating veth pair %s / %s", want.name, want.peer);
    }

    alias = xasprintf("vlan-access:trunk=%s:vlan=%u", trunk_name, vid);
    error = rtnl_link_get(want.name, &access);
    if (!error) {
        error = rtnl_link_get(want.peer, &tagger);
    }
    if (!error && argc == 5) {
        error = rtnl_link_set_address(access.ifindex, mac);
    }
    if (!error) {
        error = rtnl_link_claim(tagger.ifindex, alias);
    }
    if (!error) {
        error = tc_vlan_set_tagger(tagger.ifindex, vid, trunk.ifindex);
    }
    if (!error) {
        error = rtnl_link_set_up(tagger.ifindex);
    }
    if (!error) {
        error = rtnl_link_set_up(access.ifindex);
    }
    free(alias);
    if (error) {
        rtnl_link_delete(access.ifindex);
        ovs_fatal(error, "setting up %s / %s", want.name, want.peer);
    }

    /* The trunk program, for every VLAN of the trunk. */
    ctx.prefix = alias = xasprintf("vlan-access:trunk=%s:vlan=", trunk_name);
    tc_vlan_trunk_init(&ctx.trunk);
    error = rtnl_link_dump(vlan_access_trunk_cb, &ctx);
    if (!error && tc_vlan_trunk_is_empty(&ctx.trunk)) {
        error = ENOENT;         /* Not even the VLAN just made? */
    }
    if (!error) {
        error = tc_vlan_set_trunk(trunk.ifindex, &ctx.trunk);
    }
    if (error) {
        rtnl_link_delete(access.ifindex);
        ovs_fatal(error, "attaching the trunk program to %s", trunk_name);
    }
    tc_vlan_trunk_destroy(&ctx.trunk);
    free(alias);
    return 0;
}
