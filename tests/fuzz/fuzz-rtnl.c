/* fuzz-rtnl.c -- libFuzzer target for the rtnetlink message parsers
 * rtnl_link_parse() (lib/rtnl-link.c) and rtnl_fdb_parse()
 * (lib/rtnl-fdb.c).
 *
 * Each input is what one recv() from a netlink socket could hold: Netlink
 * messages back to back.  They are split as the real receive path
 * (nl_dump_next(), nl_sock_recv()) splits them, with nl_msg_next(), which
 * gives each message exactly its nlmsg_len bytes and stops at the first one
 * whose nlmsg_len is shorter than a header or longer than what is left.
 * Every message goes to both parsers, which must refuse what they cannot
 * use, whatever its type and family, without reading out of bounds. */

#include <config.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "netlink.h"
#include "openvswitch/ofpbuf.h"
#include "rtnl-fdb.h"
#include "rtnl-link.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Asserts that the 'size' bytes of 's' hold a null terminator. */
static void
assert_terminated(const char *s, size_t size)
{
    ovs_assert(memchr(s, '\0', size));
}

/* Gives each Netlink message in the 'size' bytes of 'data' to both parsers
 * and checks what they return. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ofpbuf buffer, msg;

    ofpbuf_use_const(&buffer, data, size);
    while (nl_msg_next(&buffer, &msg)) {
        /* The kernel aligns each message; nl_msg_next() does not. */
        struct ofpbuf *copy = ofpbuf_clone(&msg);
        struct rtnl_link link;
        struct rtnl_fdb fdb;
        int error;

        error = rtnl_link_parse(copy, &link);
        ovs_assert(!error || error == EINVAL || error == EAFNOSUPPORT);
        if (!error) {
            assert_terminated(link.name, sizeof link.name);
            assert_terminated(link.alias, sizeof link.alias);
            assert_terminated(link.kind, sizeof link.kind);
        }

        error = rtnl_fdb_parse(copy, &fdb);
        ovs_assert(!error || error == EINVAL || error == EAFNOSUPPORT);
        if (!error) {
            ovs_assert(fdb.has_dst || !fdb.dst);
            rtnl_fdb_is_learned(&fdb);
        }

        ofpbuf_delete(copy);
    }
    return 0;
}
