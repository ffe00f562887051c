/* test-tunnel-bfd.c -- unit tests of tunnel_bfd_parse_outer(), which
 * checks the outer headers of a BFD packet that arrives from the underlay,
 * where anyone can send anything to UDP port 4789.
 *
 * Only a VXLAN packet with VNI 0 to the switch's own tunnel IP, with room
 * for the inner Ethernet header, may reach a BFD session; every shorter or
 * different packet is refused without reading past its end (the test runs
 * under AddressSanitizer in "make check-sanitizers": each packet is copied
 * into a buffer of exactly its length). */

#include <config.h>

#include "tunnel-bfd.h"

#include <check.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "packets.h"
#include "util.h"

/* The switch's tunnel IP and a remote one. */
#define LOCAL_IP "10.0.0.1"
#define REMOTE_IP "10.1.0.1"

/* Returns IPv4 address 's' in network byte order. */
static ovs_be32
ip(const char *s)
{
    ovs_be32 addr;

    ck_assert(ip_parse(s, &addr));
    return addr;
}

/* Writes into 'buf' a VXLAN packet from REMOTE_IP to 'dst' with VNI 'vni'
 * and VXLAN flags 'flags', an IPv4 header of 'ihl' 32-bit words (its
 * version 'version') and a 14-byte inner frame.  Returns its length. */
static size_t
make_packet(uint8_t *buf, const char *dst, uint8_t version, uint8_t ihl,
            uint32_t flags, uint32_t vni)
{
    struct ip_header *iph = (struct ip_header *) buf;
    size_t len = ihl * 4;
    struct vxlanhdr *vx;

    memset(buf, 0, 128);
    iph->ip_ihl_ver = IP_IHL_VER(ihl, version);
    iph->ip_proto = IPPROTO_UDP;
    put_16aligned_be32(&iph->ip_src, ip(REMOTE_IP));
    put_16aligned_be32(&iph->ip_dst, ip(dst));
    len += UDP_HEADER_LEN;
    vx = (struct vxlanhdr *) (buf + len);
    put_16aligned_be32(&vx->vx_flags, htonl(flags));
    put_16aligned_be32(&vx->vx_vni, htonl(vni << 8));
    len += sizeof *vx;
    return len + ETH_HEADER_LEN;
}

/* Returns what tunnel_bfd_parse_outer() returns for the first 'n' bytes of
 * 'buf', given to it in a heap buffer of exactly 'n' bytes, and its
 * results in '*src' and '*inner'. */
static bool
parse(const uint8_t *buf, size_t n, ovs_be32 *src, size_t *inner)
{
    uint8_t *copy = xmemdup(buf, n ? n : 1);
    bool ok;

    *src = 0;
    *inner = 0;
    ok = tunnel_bfd_parse_outer(copy, n, ip(LOCAL_IP), src, inner);
    free(copy);
    return ok;
}

START_TEST(test_accepts_bfd_packet)
{
    uint8_t buf[128];
    size_t n = make_packet(buf, LOCAL_IP, 4, 5, VXLAN_FLAGS, 0);
    size_t inner;
    ovs_be32 src;

    ck_assert(parse(buf, n, &src, &inner));
    ck_assert(src == ip(REMOTE_IP));
    ck_assert_uint_eq(inner, 20 + 8 + 8);

    /* IP options move the inner frame. */
    n = make_packet(buf, LOCAL_IP, 4, 7, VXLAN_FLAGS, 0);
    ck_assert(parse(buf, n, &src, &inner));
    ck_assert_uint_eq(inner, 28 + 8 + 8);
}
END_TEST

START_TEST(test_refuses_short_packets)
{
    uint8_t buf[128];
    size_t n = make_packet(buf, LOCAL_IP, 4, 5, VXLAN_FLAGS, 0);
    size_t inner;
    ovs_be32 src;

    /* Each length short of a whole packet: no outer IPv4 header, no UDP or
     * VXLAN header, no room for the inner Ethernet header. */
    for (size_t len = 0; len < n; len++) {
        ck_assert_msg(!parse(buf, len, &src, &inner),
                      "accepted %"PRIuSIZE" of %"PRIuSIZE" bytes", len, n);
    }

    /* IP options that the packet is too short to hold. */
    n = make_packet(buf, LOCAL_IP, 4, 15, VXLAN_FLAGS, 0);
    ck_assert(!parse(buf, n - 1, &src, &inner));
    ck_assert(parse(buf, n, &src, &inner));
}
END_TEST

START_TEST(test_refuses_other_packets)
{
    uint8_t buf[128];
    size_t inner;
    ovs_be32 src;
    size_t n;

    n = make_packet(buf, LOCAL_IP, 6, 5, VXLAN_FLAGS, 0);
    ck_assert_msg(!parse(buf, n, &src, &inner), "accepted IP version 6");

    /* A header shorter than 5 words, in a buffer long enough for any. */
    for (uint8_t ihl = 0; ihl < 5; ihl++) {
        make_packet(buf, LOCAL_IP, 4, ihl, VXLAN_FLAGS, 0);
        ck_assert_msg(!parse(buf, sizeof buf, &src, &inner),
                      "accepted an IPv4 header length of %d words", ihl);
    }

    n = make_packet(buf, LOCAL_IP, 4, 5, VXLAN_FLAGS, 5000);
    ck_assert_msg(!parse(buf, n, &src, &inner), "accepted VNI 5000");

    n = make_packet(buf, LOCAL_IP, 4, 5, 0, 0);
    ck_assert_msg(!parse(buf, n, &src, &inner),
                  "accepted VXLAN flags without a valid VNI");

    n = make_packet(buf, REMOTE_IP, 4, 5, VXLAN_FLAGS, 0);
    ck_assert_msg(!parse(buf, n, &src, &inner),
                  "accepted a packet to another tunnel IP");
    ck_assert_uint_eq(inner, 0);
}
END_TEST

/* Returns the suite of this file. */
static Suite *
tunnel_bfd_suite(void)
{
    Suite *s = suite_create("tunnel-bfd");
    TCase *outer = tcase_create("outer");

    tcase_add_test(outer, test_accepts_bfd_packet);
    tcase_add_test(outer, test_refuses_short_packets);
    tcase_add_test(outer, test_refuses_other_packets);
    suite_add_tcase(s, outer);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(tunnel_bfd_suite());
    int n_failed;

    srunner_run_all(sr, CK_NORMAL);
    n_failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
