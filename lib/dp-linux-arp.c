/* dp-linux-arp.c -- the IPv4 addresses of local MACs, from the ARP frames
 * their hosts send, for Ucast_Macs_Local.ipaddr.
 *
 * One packet socket, opened before vtepd drops privileges (it needs
 * CAP_NET_RAW), sees the frames that any device receives, as taps do; a
 * classic BPF filter in the kernel keeps only untagged ARP frames that were
 * not sent by this host.  A frame received by a bound device of this
 * switch (the port of a VLAN 0 binding, the bridge end of a tagged
 * binding's veth pair, where its frames arrive untagged) gives its
 * sender's MAC and IPv4 address in the logical switch of the device's
 * bridge: requests, replies and gratuitous ARP alike.  Frames that come in
 * through a VXLAN device, or tagged on a trunk, are not from a bound
 * device; and only MACs that the bridge learned (local MACs) get an
 * address. */

#include <config.h>
#include "dp-linux-private.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "coverage.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(dp_linux_arp);

COVERAGE_DEFINE(dp_linux_arp_frame);

/* The packet socket, -1 if it could not be opened. */
static int arp_fd = -1;

/* Most frames that one dp_linux_arp_run() reads. */
#define DP_LINUX_ARP_BATCH 100

/* An Ethernet frame carrying an IPv4-over-Ethernet ARP packet. */
struct dp_linux_arp_frame {
    uint8_t eth_dst[ETH_ADDR_LEN];  /* Ethernet destination. */
    uint8_t eth_src[ETH_ADDR_LEN];  /* Ethernet source. */
    ovs_be16 eth_type;              /* ETH_P_ARP. */
    ovs_be16 htype;                 /* 1: Ethernet. */
    ovs_be16 ptype;                 /* ETH_P_IP. */
    uint8_t hlen;                   /* 6. */
    uint8_t plen;                   /* 4. */
    ovs_be16 oper;                  /* Request or reply. */
    uint8_t sha[ETH_ADDR_LEN];      /* Sender's MAC. */
    uint8_t spa[4];                 /* Sender's IPv4 address. */
    uint8_t tha[ETH_ADDR_LEN];      /* Target's MAC. */
    uint8_t tpa[4];                 /* Target's IPv4 address. */
} __attribute__((packed));

/* Opens the packet socket, once.  Returns 0 or an errno value (logged:
 * without it, Ucast_Macs_Local rows have no ipaddr). */
int
dp_linux_arp_open(void)
{
    static struct sock_filter insns[] = {
        /* Drop frames with a VLAN tag. */
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                 SKF_AD_OFF + SKF_AD_VLAN_TAG_PRESENT),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 2),
        /* Keep ARP, the whole frame. */
        BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_ARP, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, 0),
        BPF_STMT(BPF_RET | BPF_K, sizeof(struct dp_linux_arp_frame)),
    };
    struct sock_fprog prog = { .len = ARRAY_SIZE(insns), .filter = insns };
    int one = 1;
    int error = 0;

    if (arp_fd >= 0) {
        return 0;
    }
    /* What this host sends is no news, and without PACKET_IGNORE_OUTGOING
     * the kernel would clone every frame that any device sends for this
     * socket, only for the filter to drop it: about 5 % of the throughput
     * of a TCP stream through the switch. */
    arp_fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
                    htons(ETH_P_ALL));
    if (arp_fd < 0
        || setsockopt(arp_fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
                      sizeof one) < 0
        || setsockopt(arp_fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
                      sizeof prog) < 0) {
        error = errno;
        VLOG_WARN("opening a packet socket for ARP failed (%s): local MACs "
                  "get no IPv4 address (it needs CAP_NET_RAW at start)",
                  ovs_strerror(error));
        if (arp_fd >= 0) {
            close(arp_fd);
            arp_fd = -1;
        }
    }
    return error;
}

/* Gives local MAC 'frame->sha' the sender address of ARP frame 'frame',
 * received by device 'ifindex', if that is a bound device of one of
 * 'dp''s logical switches and the MAC is a local MAC there. */
static void
dp_linux_arp_handle(struct dp_linux *dp, int ifindex,
                    const struct dp_linux_arp_frame *frame)
{
    const struct dp_linux_link *dev = dp_linux_link_find(dp, ifindex);
    const struct dp_linux_link *br = (dev && dev->role != DP_LINUX_VXLAN
                                      && dev->info.master
                                      ? dp_linux_link_find(dp,
                                                           dev->info.master)
                                      : NULL);
    struct dp_local_mac *lm;
    struct eth_addr sha;
    ovs_be32 spa;

    if (!br || br->role != DP_LINUX_BRIDGE
        || frame->htype != htons(1) || frame->ptype != htons(ETH_P_IP)
        || frame->hlen != ETH_ADDR_LEN || frame->plen != 4) {
        return;
    }
    memcpy(&sha, frame->sha, sizeof sha);
    memcpy(&spa, frame->spa, sizeof spa);
    if (!spa || ip_is_multicast(spa) || spa == htonl(UINT32_MAX)) {
        return;     /* An ARP probe, or nonsense. */
    }
    lm = dp_local_mac_find(&dp->up.local_macs, br->ls, sha);
    if (lm && lm->ip != spa) {
        VLOG_DBG("%s: local MAC "ETH_ADDR_FMT" in %s has IP "IP_FMT,
                 dp->up.name, ETH_ADDR_ARGS(sha), br->ls, IP_ARGS(spa));
        lm->ip = spa;
        dp->up.local_macs_seq++;
    }
}

/* Reads the ARP frames that arrived, up to DP_LINUX_ARP_BATCH; sets
 * 'dp->arp_more' if there may be more. */
void
dp_linux_arp_run(struct dp_linux *dp)
{
    int i;

    dp->arp_more = false;
    if (arp_fd < 0) {
        return;
    }
    for (i = 0; i < DP_LINUX_ARP_BATCH; i++) {
        struct dp_linux_arp_frame frame;
        struct sockaddr_ll sll;
        socklen_t sll_len = sizeof sll;
        ssize_t n;

        n = recvfrom(arp_fd, &frame, sizeof frame, MSG_TRUNC,
                     (struct sockaddr *) &sll, &sll_len);
        if (n < 0) {
            break;
        }
        COVERAGE_INC(dp_linux_arp_frame);
        if (n >= (ssize_t) sizeof frame) {
            dp_linux_arp_handle(dp, sll.sll_ifindex, &frame);
        }
    }
    dp->arp_more = i >= DP_LINUX_ARP_BATCH;
}

/* Wakes poll_block() up for the next ARP frame. */
void
dp_linux_arp_wait(const struct dp_linux *dp)
{
    if (dp->arp_more) {
        poll_immediate_wake();
    } else if (arp_fd >= 0) {
        poll_fd_wait(arp_fd, POLLIN);
    }
}
