/* tunnel-bfd.c -- BFD on the switch's tunnels (the Tunnel table).
 *
 * The sessions are OVS's (lib/bfd.c), configured as ovs-vtep configures
 * them from a Tunnel row.  Control packets are sent through a plain UDP
 * socket bound to the switch's tunnel IP (with zero UDP checksums, as the
 * VXLAN devices send), to port 4789 of the remote tunnel IP, with a VXLAN
 * header (VNI 0) in front of the frame that bfd_put_packet() builds.  The
 * kernel's VXLAN socket owns UDP port 4789, and a VXLAN device would hide
 * the outer source address, so they are received by a packet socket,
 * opened before vtepd drops privileges (it needs CAP_NET_RAW): a classic
 * BPF filter keeps the incoming IPv4 UDP packets to port 4789 with VNI 0
 * whose inner frame is IPv4 UDP to port 3784.  The socket gets a copy; the
 * kernel's VXLAN socket still gets the packet, and drops it, since no
 * device has VNI 0.
 *
 * lib/bfd.c needs a netdev for each session, whose receive counter it
 * reads (for decay_min_rx); the sessions share one of a class of their
 * own, which has no counters (decay_min_rx is not passed on). */

#include <config.h>
#include "tunnel-bfd.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "bfd.h"
#include "coverage.h"
#include "dp-packet.h"
#include "flow.h"
#include "hash.h"
#include "netdev-provider.h"
#include "openvswitch/hmap.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "smap.h"
#include "socket-util.h"
#include "sset.h"
#include "util.h"
#include "vtep-idl.h"

VLOG_DEFINE_THIS_MODULE(tunnel_bfd);

COVERAGE_DEFINE(tunnel_bfd_rx);
COVERAGE_DEFINE(tunnel_bfd_tx);

/* VXLAN's UDP port (RFC 7348). */
#define TUNNEL_BFD_VXLAN_PORT 4789

/* Most packets that one tunnel_bfd_run() reads. */
#define TUNNEL_BFD_BATCH 50

/* The defaults of vtep(5) for the bfd_config_local and bfd_config_remote
 * columns. */
#define TUNNEL_BFD_DEFAULT_MAC "00:23:20:00:00:01"
#define TUNNEL_BFD_DEFAULT_REMOTE_IP "169.254.1.1"

/* The packet socket, -1 if it was not opened. */
static int packet_fd = -1;

/* Why 'packet_fd' is -1, for bfd_status:info. */
static const char *packet_fd_problem = "BFD needs the linux datapath";

/* One BFD session: the Tunnel row to one remote tunnel IP. */
struct tunnel_bfd_session {
    struct hmap_node node;      /* In 'sessions', by hash of 'remote'. */
    ovs_be32 remote;            /* Remote tunnel IP. */
    struct bfd *bfd;            /* The state machine. */
    bool seen;                  /* Still configured (during
                                 * tunnel_bfd_configure()). */
};

/* The BFD sessions of the switch. */
struct tunnel_bfd {
    struct hmap sessions;       /* Of struct tunnel_bfd_session. */
    ovs_be32 local;             /* The switch's tunnel IP, 0 if none. */
    int send_fd;                /* UDP socket bound to 'local', or -1. */
    int send_error;             /* Why 'send_fd' is -1 with a 'local'. */
    struct eth_addr eth_src;    /* Source MAC of the frames sent. */
    struct netdev *netdev;      /* What lib/bfd.c wants for a session. */
    bool more;                  /* The last run left packets unread. */
};

/* Returns a new netdev of the sessions' class, which does nothing. */
static struct netdev *
tunnel_bfd_netdev_alloc(void)
{
    return xzalloc(sizeof(struct netdev));
}

/* Constructs a netdev of the sessions' class: there is nothing to do. */
static int
tunnel_bfd_netdev_construct(struct netdev *netdev OVS_UNUSED)
{
    return 0;
}

/* Destructs a netdev of the sessions' class: there is nothing to do. */
static void
tunnel_bfd_netdev_destruct(struct netdev *netdev OVS_UNUSED)
{
}

/* Frees a netdev of the sessions' class. */
static void
tunnel_bfd_netdev_dealloc(struct netdev *netdev)
{
    free(netdev);
}

/* The class of the netdev that the sessions share: no counters, no I/O. */
static const struct netdev_class tunnel_bfd_netdev_class = {
    .type = "vtepd-bfd",
    .alloc = tunnel_bfd_netdev_alloc,
    .construct = tunnel_bfd_netdev_construct,
    .destruct = tunnel_bfd_netdev_destruct,
    .dealloc = tunnel_bfd_netdev_dealloc,
};

/* Opens the packet socket that receives BFD control packets, once, before
 * vtepd drops privileges.  Returns 0 or an errno value (logged: without
 * it, Tunnel rows with BFD get bfd_status:enabled=false). */
int
tunnel_bfd_prepare(void)
{
    /* The socket is SOCK_DGRAM: offsets are from the outer IPv4 header. */
    static struct sock_filter insns[] = {
        /* 0: not what this host sends. */
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_PKTTYPE),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PACKET_OUTGOING, 22, 0),
        /* 2: UDP, not a fragment. */
        BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0, 20),
        BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6),
        BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x3fff, 18, 0),
        /* 6: X = outer IPv4 header length; UDP to port 4789. */
        BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
        BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TUNNEL_BFD_VXLAN_PORT, 0, 15),
        /* 9: VNI 0. */
        BPF_STMT(BPF_LD | BPF_W | BPF_IND, 8 + 4),
        BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xffffff00),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 12),
        /* 12: inner frame IPv4 (after UDP, VXLAN and Ethernet), UDP. */
        BPF_STMT(BPF_LD | BPF_H | BPF_IND, 8 + 8 + 12),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 0, 10),
        BPF_STMT(BPF_LD | BPF_B | BPF_IND, 8 + 8 + 14 + 9),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0, 8),
        /* 16: X = outer plus inner IPv4 header lengths; to port 3784. */
        BPF_STMT(BPF_LD | BPF_B | BPF_IND, 8 + 8 + 14),
        BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xf),
        BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 2),
        BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0),
        BPF_STMT(BPF_MISC | BPF_TAX, 0),
        BPF_STMT(BPF_LD | BPF_H | BPF_IND, 8 + 8 + 14 + 2),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, BFD_DEST_PORT, 0, 1),
        /* 23: keep; 24: drop. */
        BPF_STMT(BPF_RET | BPF_K, 0xffff),
        BPF_STMT(BPF_RET | BPF_K, 0),
    };
    struct sock_fprog prog = { .len = ARRAY_SIZE(insns), .filter = insns };
    int error = 0;

    if (packet_fd >= 0) {
        return 0;
    }
    packet_fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
                       htons(ETH_P_IP));
    if (packet_fd < 0
        || setsockopt(packet_fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
                      sizeof prog) < 0) {
        error = errno;
        VLOG_WARN("opening a packet socket for BFD failed (%s): tunnels get "
                  "no BFD (it needs CAP_NET_RAW at start)",
                  ovs_strerror(error));
        packet_fd_problem = "no packet socket to receive BFD packets "
                            "(it needs CAP_NET_RAW at start)";
        if (packet_fd >= 0) {
            close(packet_fd);
            packet_fd = -1;
        }
    }
    return error;
}

/* Creates the (so far empty) set of BFD sessions of the switch. */
struct tunnel_bfd *
tunnel_bfd_create(void)
{
    static struct ovsthread_once once = OVSTHREAD_ONCE_INITIALIZER;
    struct tunnel_bfd *tb = xzalloc(sizeof *tb);
    int error;

    if (ovsthread_once_start(&once)) {
        bfd_init();
        netdev_register_provider(&tunnel_bfd_netdev_class);
        ovsthread_once_done(&once);
    }
    hmap_init(&tb->sessions);
    tb->send_fd = -1;
    error = netdev_open("vtepd-bfd", "vtepd-bfd", &tb->netdev);
    if (error) {
        VLOG_ERR("opening the netdev for BFD failed (%s)",
                 ovs_strerror(error));
    }
    return tb;
}

/* Ends session 's' of 'tb'. */
static void
tunnel_bfd_session_destroy(struct tunnel_bfd *tb,
                           struct tunnel_bfd_session *s)
{
    VLOG_INFO("BFD to "IP_FMT" ends", IP_ARGS(s->remote));
    hmap_remove(&tb->sessions, &s->node);
    bfd_unref(s->bfd);
    free(s);
}

/* Ends every session of 'tb' and frees it. */
void
tunnel_bfd_destroy(struct tunnel_bfd *tb)
{
    struct tunnel_bfd_session *s;

    if (!tb) {
        return;
    }
    HMAP_FOR_EACH_SAFE (s, node, &tb->sessions) {
        tunnel_bfd_session_destroy(tb, s);
    }
    hmap_destroy(&tb->sessions);
    if (tb->send_fd >= 0) {
        close(tb->send_fd);
    }
    netdev_close(tb->netdev);
    free(tb);
}

/* Returns the session of 'tb' to 'remote', or NULL. */
static struct tunnel_bfd_session *
tunnel_bfd_find(const struct tunnel_bfd *tb, ovs_be32 remote)
{
    struct tunnel_bfd_session *s;

    HMAP_FOR_EACH_WITH_HASH (s, node, hash_int(ntohl(remote), 0),
                             &tb->sessions) {
        if (s->remote == remote) {
            return s;
        }
    }
    return NULL;
}

/* Binds 'tb''s sending socket to tunnel IP 'local' (closes it for 0). */
static void
tunnel_bfd_set_local(struct tunnel_bfd *tb, ovs_be32 local)
{
    if (tb->local == local && (tb->send_fd >= 0 || !local)) {
        return;
    }
    if (tb->send_fd >= 0) {
        close(tb->send_fd);
        tb->send_fd = -1;
    }
    tb->local = local;
    tb->send_error = 0;
    if (!local) {
        return;
    }

    /* A locally administered source MAC made of the tunnel IP. */
    tb->eth_src.ea[0] = 0x02;
    tb->eth_src.ea[1] = 0x00;
    memcpy(&tb->eth_src.ea[2], &local, sizeof local);

    struct sockaddr_in sin = {
        .sin_family = AF_INET,
        .sin_addr.s_addr = local,
    };
    /* Zero UDP checksums, as the VXLAN devices send (RFC 7348): a
     * checksum left to offloading arrives unfinished at a peer that reads
     * the underlay from a packet socket (e.g. OVS's userspace datapath)
     * and is dropped there. */
    int no_check = 1;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0
        || setsockopt(fd, SOL_SOCKET, SO_NO_CHECK, &no_check,
                      sizeof no_check) < 0
        || bind(fd, (struct sockaddr *) &sin, sizeof sin) < 0) {
        tb->send_error = errno;
        VLOG_WARN("cannot send BFD packets from "IP_FMT" (%s); retrying",
                  IP_ARGS(local), ovs_strerror(tb->send_error));
        if (fd >= 0) {
            close(fd);
        }
        return;
    }
    tb->send_fd = fd;
}

/* Fills 'cfg' with the bfd_configure() settings for Tunnel row 't', as
 * ovs-vtep makes them: the vtep(5) keys of bfd_params (but decay_min_rx
 * and forwarding_if_rx, which need data traffic counters), the frames sent
 * to bfd_config_remote's MAC and IPv4 address, and only frames to
 * bfd_config_local's MAC (and IPv4 address, if set) accepted. */
static void
tunnel_bfd_make_config(const struct vteprec_tunnel *t, struct smap *cfg)
{
    static const char *const keys[] = {
        "enable", "min_rx", "min_tx", "cpath_down", "check_tnl_key",
    };

    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        const char *value = smap_get(&t->bfd_params, keys[i]);
        if (value) {
            smap_add(cfg, keys[i], value);
        }
    }
    smap_add(cfg, "bfd_local_dst_mac",
             smap_get_def(&t->bfd_config_remote, "bfd_dst_mac",
                          TUNNEL_BFD_DEFAULT_MAC));
    smap_add(cfg, "bfd_dst_ip",
             smap_get_def(&t->bfd_config_remote, "bfd_dst_ip",
                          TUNNEL_BFD_DEFAULT_REMOTE_IP));
    smap_add(cfg, "bfd_remote_dst_mac",
             smap_get_def(&t->bfd_config_local, "bfd_dst_mac",
                          TUNNEL_BFD_DEFAULT_MAC));
    const char *local_ip = smap_get(&t->bfd_config_local, "bfd_dst_ip");
    if (local_ip) {
        smap_add(cfg, "bfd_src_ip", local_ip);
    }
}

/* Returns true if BFD can run on 'tb' at all: it has a packet socket, a
 * netdev and a tunnel IP. */
static bool
tunnel_bfd_usable(const struct tunnel_bfd *tb)
{
    return packet_fd >= 0 && tb->netdev && tb->local;
}

/* Makes 'tb' run one session for each Tunnel row of 'ps' (NULL: none)
 * whose bfd_params:enable is true, from tunnel IP 'tunnel_ip' (0: none, so
 * no session), and no other. */
void
tunnel_bfd_configure(struct tunnel_bfd *tb,
                     const struct vteprec_physical_switch *ps,
                     ovs_be32 tunnel_ip)
{
    struct tunnel_bfd_session *s;

    tunnel_bfd_set_local(tb, tunnel_ip);
    HMAP_FOR_EACH (s, node, &tb->sessions) {
        s->seen = false;
    }
    for (size_t i = 0; ps && tunnel_bfd_usable(tb) && i < ps->n_tunnels;
         i++) {
        const struct vteprec_tunnel *t = ps->tunnels[i];
        ovs_be32 remote;

        if (!t->remote || !ip_parse(t->remote->dst_ip, &remote) || !remote
            || !smap_get_bool(&t->bfd_params, "enable", false)) {
            continue;
        }
        s = tunnel_bfd_find(tb, remote);
        if (s && s->seen) {
            continue;           /* Two rows to one remote: the first. */
        }

        struct smap cfg = SMAP_INITIALIZER(&cfg);
        tunnel_bfd_make_config(t, &cfg);
        if (!s) {
            char *name = xasprintf(IP_FMT, IP_ARGS(remote));
            s = xzalloc(sizeof *s);
            s->remote = remote;
            s->bfd = bfd_configure(NULL, name, &cfg, tb->netdev);
            hmap_insert(&tb->sessions, &s->node, hash_int(ntohl(remote), 0));
            VLOG_INFO("BFD to %s starts", name);
            free(name);
        } else {
            s->bfd = bfd_configure(s->bfd, NULL, &cfg, tb->netdev);
        }
        s->seen = true;
        smap_destroy(&cfg);
    }
    HMAP_FOR_EACH_SAFE (s, node, &tb->sessions) {
        if (!s->seen) {
            tunnel_bfd_session_destroy(tb, s);
        }
    }
}

/* Checks that the 'n' bytes of 'buf', an IPv4 packet from its header on,
 * hold a VXLAN packet with VNI 0 to 'local' with room for an Ethernet
 * header inside.  If so, stores its outer source address in '*src' and the
 * offset of the inner frame in '*inner' and returns true.  (The packet
 * socket's filter has checked the UDP port already.) */
bool
tunnel_bfd_parse_outer(const uint8_t *buf, size_t n, ovs_be32 local,
                       ovs_be32 *src, size_t *inner)
{
    const struct ip_header *ip = (const struct ip_header *) buf;
    size_t ihl;

    if (n < IP_HEADER_LEN || IP_VER(ip->ip_ihl_ver) != 4) {
        return false;
    }
    ihl = IP_IHL(ip->ip_ihl_ver) * 4;
    if (ihl < IP_HEADER_LEN
        || n < (ihl + UDP_HEADER_LEN + sizeof(struct vxlanhdr)
                + ETH_HEADER_LEN)) {
        return false;
    }

    const struct vxlanhdr *vx = (const struct vxlanhdr *)
                                (buf + ihl + UDP_HEADER_LEN);
    if (get_16aligned_be32(&vx->vx_flags) != htonl(VXLAN_FLAGS)
        || get_16aligned_be32(&vx->vx_vni) != htonl(0)
        || get_16aligned_be32(&ip->ip_dst) != local) {
        return false;
    }
    *src = get_16aligned_be32(&ip->ip_src);
    *inner = ihl + UDP_HEADER_LEN + sizeof(struct vxlanhdr);
    return true;
}

/* Passes BFD control packet 'buf' (of 'n' bytes, from its outer IPv4
 * header on, as the packet socket received it) to its session, if it has
 * one. */
static void
tunnel_bfd_receive(struct tunnel_bfd *tb, const uint8_t *buf, size_t n)
{
    size_t offset;
    ovs_be32 src;

    if (!tunnel_bfd_parse_outer(buf, n, tb->local, &src, &offset)) {
        return;
    }

    struct tunnel_bfd_session *s = tunnel_bfd_find(tb, src);
    if (!s) {
        return;
    }

    struct dp_packet *packet = dp_packet_clone_data(buf + offset,
                                                    n - offset);
    struct flow_wildcards wc;
    struct flow flow;

    flow_extract(packet, &flow);
    flow.tunnel.tun_id = htonll(0);
    flow.tunnel.ip_src = src;
    flow.tunnel.ip_dst = tb->local;
    flow_wildcards_init_catchall(&wc);
    if (bfd_should_process_flow(s->bfd, &flow, &wc)) {
        COVERAGE_INC(tunnel_bfd_rx);
        bfd_process_packet(s->bfd, &flow, packet);
    }
    dp_packet_delete(packet);
}

/* Sends the control packet that session 's' of 'tb' has due. */
static void
tunnel_bfd_send(struct tunnel_bfd *tb, struct tunnel_bfd_session *s)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);
    uint64_t stub[128 / 8];
    struct dp_packet packet;
    bool oam;

    dp_packet_use_stub(&packet, stub, sizeof stub);
    bfd_put_packet(s->bfd, &packet, tb->eth_src, &oam);

    struct vxlanhdr vx;
    put_16aligned_be32(&vx.vx_flags, htonl(VXLAN_FLAGS));
    put_16aligned_be32(&vx.vx_vni, htonl(0));

    struct sockaddr_in sin = {
        .sin_family = AF_INET,
        .sin_port = htons(TUNNEL_BFD_VXLAN_PORT),
        .sin_addr.s_addr = s->remote,
    };
    struct iovec iov[2] = {
        { .iov_base = &vx, .iov_len = sizeof vx },
        { .iov_base = dp_packet_data(&packet),
          .iov_len = dp_packet_size(&packet) },
    };
    struct msghdr msg = {
        .msg_name = &sin,
        .msg_namelen = sizeof sin,
        .msg_iov = iov,
        .msg_iovlen = ARRAY_SIZE(iov),
    };
    if (tb->send_fd >= 0 && sendmsg(tb->send_fd, &msg, 0) < 0) {
        VLOG_DBG_RL(&rl, "sending BFD to "IP_FMT" failed (%s)",
                    IP_ARGS(s->remote), ovs_strerror(errno));
    } else {
        COVERAGE_INC(tunnel_bfd_tx);
    }
    dp_packet_uninit(&packet);
}

/* Receives, times and sends control packets.  Returns true if the status
 * of a session changed (so that bfd_status is due). */
bool
tunnel_bfd_run(struct tunnel_bfd *tb)
{
    struct tunnel_bfd_session *s;
    bool changed = false;
    int i;

    tb->more = false;
    if (tb->local && tb->send_fd < 0) {
        /* The tunnel IP may not have been on a device yet. */
        tunnel_bfd_set_local(tb, 0);
        tunnel_bfd_set_local(tb, tb->local);
    }
    for (i = 0; packet_fd >= 0 && i < TUNNEL_BFD_BATCH; i++) {
        uint8_t buf[2048];
        ssize_t n = recv(packet_fd, buf, sizeof buf, 0);
        if (n < 0) {
            break;
        }
        tunnel_bfd_receive(tb, buf, n);
    }
    tb->more = i >= TUNNEL_BFD_BATCH;

    HMAP_FOR_EACH (s, node, &tb->sessions) {
        bfd_run(s->bfd);
        if (bfd_should_send_packet(s->bfd)) {
            tunnel_bfd_send(tb, s);
        }
        if (bfd_check_status_change(s->bfd)) {
            changed = true;
        }
    }
    return changed;
}

/* Wakes poll_block() up for the next packet or timer of a session. */
void
tunnel_bfd_wait(const struct tunnel_bfd *tb)
{
    const struct tunnel_bfd_session *s;

    if (tb->more) {
        poll_immediate_wake();
    } else if (packet_fd >= 0) {
        poll_fd_wait(packet_fd, POLLIN);
    }
    HMAP_FOR_EACH (s, node, &tb->sessions) {
        bfd_wait(s->bfd);
    }
    if (tb->local && tb->send_fd < 0) {
        poll_timer_wait(1000);
    }
}

/* Fills 'status' with the bfd_status of a Tunnel row to 'remote_ip' whose
 * bfd_params:enable is true: the vtep(5) keys of its session, or enabled
 * false and why in "info". */
void
tunnel_bfd_get_status(const struct tunnel_bfd *tb, const char *remote_ip,
                      struct smap *status)
{
    const struct tunnel_bfd_session *s;
    ovs_be32 remote;

    s = (ip_parse(remote_ip, &remote) ? tunnel_bfd_find(tb, remote)
         : NULL);
    if (s) {
        struct smap bfd_status = SMAP_INITIALIZER(&bfd_status);
        static const char *const keys[] = {
            "state", "forwarding", "diagnostic", "remote_state",
            "remote_diagnostic",
        };

        bfd_get_status(s->bfd, &bfd_status);
        smap_add(status, "enabled", "true");
        for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
            const char *value = smap_get(&bfd_status, keys[i]);
            if (value) {
                smap_add(status, keys[i], value);
            }
        }
        if (tb->send_error) {
            smap_add_format(status, "info", "cannot send: %s",
                            ovs_strerror(tb->send_error));
        }
        smap_destroy(&bfd_status);
        return;
    }

    smap_add(status, "enabled", "false");
    smap_add(status, "info",
             (packet_fd < 0 ? packet_fd_problem
              : !tb->netdev ? "no netdev for BFD"
              : !tb->local ? "the switch has no tunnel IP"
              : "the remote locator has no IPv4 address"));
}

/* Adds to 'ips' the remote tunnel IP (as a dotted quad) of each session of
 * 'tb' that says its tunnel cannot forward: the session is not up, or the
 * remote signals a concatenated path down. */
void
tunnel_bfd_get_down(const struct tunnel_bfd *tb, struct sset *ips)
{
    const struct tunnel_bfd_session *s;

    HMAP_FOR_EACH (s, node, &tb->sessions) {
        if (!bfd_forwarding(s->bfd)) {
            char ip[INET_ADDRSTRLEN];
            sset_add(ips, inet_ntop(AF_INET, &s->remote, ip, sizeof ip));
        }
    }
}

/* Returns the number of sessions of 'tb'. */
size_t
tunnel_bfd_count(const struct tunnel_bfd *tb)
{
    return hmap_count(&tb->sessions);
}
