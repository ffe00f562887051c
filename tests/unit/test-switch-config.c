/* test-switch-config.c -- unit tests of the YAML configuration file parser.
 *
 * Good files must fill in every field of struct switch_config; broken files
 * must be refused with an error at the exact "FILE:LINE:COLUMN" of the
 * offending node, leaving the configuration empty. */

#include <config.h>

#include "switch-config.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

/* File name that the tests give to switch_config_parse(). */
#define FILE_NAME "hv1.yaml"

/* Parses 'text' into 'cfg' (initializing it first) and asserts success. */
static void
parse_ok(const char *text, struct switch_config *cfg)
{
    char *error = NULL;
    int retval;

    switch_config_init(cfg);
    retval = switch_config_parse(text, strlen(text), FILE_NAME, cfg, &error);
    ck_assert_msg(!retval, "unexpected error: %s", error);
    ck_assert_ptr_null(error);
}

/* Asserts that 'cfg' is empty, as switch_config_init() leaves it. */
static void
assert_empty(const struct switch_config *cfg)
{
    ck_assert_ptr_null(cfg->name);
    ck_assert_ptr_null(cfg->description);
    ck_assert_ptr_null(cfg->tunnel_ip);
    ck_assert(sset_is_empty(&cfg->management_ips));
    ck_assert_ptr_null(cfg->ports);
    ck_assert_uint_eq(cfg->n_ports, 0);
    ck_assert_uint_eq(cfg->mac_ageing, SWITCH_CONFIG_DEFAULT_AGEING);
    ck_assert_ptr_null(cfg->datapath);
}

/* Asserts that 'error' begins with 'prefix'. */
static void
assert_prefix(const char *error, const char *prefix)
{
    ck_assert_ptr_nonnull(error);
    ck_assert_msg(!strncmp(error, prefix, strlen(prefix)),
                  "error \"%s\" does not start with \"%s\"", error, prefix);
}

/* Parses 'len' bytes of 'text' and asserts that it fails with EINVAL and an
 * error message that begins with 'prefix', leaving the configuration
 * empty. */
static void
assert_error_len(const char *text, size_t len, const char *prefix)
{
    struct switch_config cfg;
    char *error = NULL;

    switch_config_init(&cfg);
    ck_assert_int_eq(switch_config_parse(text, len, FILE_NAME, &cfg, &error),
                     EINVAL);
    assert_prefix(error, prefix);
    assert_empty(&cfg);
    switch_config_destroy(&cfg);
    free(error);
}

/* As assert_error_len() for the null-terminated 'text'. */
static void
assert_error(const char *text, const char *prefix)
{
    assert_error_len(text, strlen(text), prefix);
}

/* Returns the name of a new temporary file that holds 'text'.  The caller
 * must unlink() and free() it. */
static char *
write_temp_file(const char *text)
{
    const char *tmpdir = getenv("TMPDIR");
    char *file_name = xasprintf("%s/test-switch-config.XXXXXX",
                                tmpdir && *tmpdir ? tmpdir : "/tmp");
    int fd = mkstemp(file_name);
    size_t len = strlen(text);

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, len), len);
    ck_assert_int_eq(close(fd), 0);
    return file_name;
}

/* Loads example 'base_name' from utilities/examples in the source tree
 * ($srcdir, as "make check" sets it, or the current directory) into 'cfg'
 * and asserts success. */
static void
load_example(const char *base_name, struct switch_config *cfg)
{
    const char *srcdir = getenv("srcdir");
    char *file_name = xasprintf("%s/utilities/examples/%s",
                                srcdir ? srcdir : ".", base_name);
    char *error = NULL;

    switch_config_init(cfg);
    ck_assert_msg(!switch_config_load(file_name, cfg, &error),
                  "unexpected error: %s", error);
    free(file_name);
}

START_TEST(test_all_keys)
{
    struct switch_config cfg;

    parse_ok("# vtepd configuration file\n"
             "name: hv1\n"
             "description: \"Lab host 1\"\n"
             "tunnel_ip: 10.0.0.1\n"
             "management_ips: [192.0.2.10, '192.0.2.11', 192.0.2.10]\n"
             "ports:\n"
             "  - p1\n"
             "  - \"veth*\"\n"
             "  - name: p2\n"
             "    description: \"to server 2\"\n"
             "mac_ageing_time: 600\n"
             "datapath: dummy\n", &cfg);
    ck_assert_str_eq(cfg.name, "hv1");
    ck_assert_str_eq(cfg.description, "Lab host 1");
    ck_assert_str_eq(cfg.tunnel_ip, "10.0.0.1");
    ck_assert_uint_eq(sset_count(&cfg.management_ips), 2);
    ck_assert(sset_contains(&cfg.management_ips, "192.0.2.10"));
    ck_assert(sset_contains(&cfg.management_ips, "192.0.2.11"));
    ck_assert_uint_eq(cfg.n_ports, 3);
    ck_assert_str_eq(cfg.ports[0].pattern, "p1");
    ck_assert_ptr_null(cfg.ports[0].description);
    ck_assert_str_eq(cfg.ports[1].pattern, "veth*");
    ck_assert_ptr_null(cfg.ports[1].description);
    ck_assert_str_eq(cfg.ports[2].pattern, "p2");
    ck_assert_str_eq(cfg.ports[2].description, "to server 2");
    ck_assert_uint_eq(cfg.mac_ageing, 600);
    ck_assert_str_eq(cfg.datapath, "dummy");
    switch_config_destroy(&cfg);
}
END_TEST

START_TEST(test_minimal)
{
    struct switch_config cfg;

    parse_ok("name: hv1\n", &cfg);
    ck_assert_str_eq(cfg.name, "hv1");
    ck_assert_ptr_null(cfg.description);
    ck_assert_ptr_null(cfg.tunnel_ip);
    ck_assert(sset_is_empty(&cfg.management_ips));
    ck_assert_uint_eq(cfg.n_ports, 0);
    ck_assert_uint_eq(cfg.mac_ageing, SWITCH_CONFIG_DEFAULT_AGEING);
    ck_assert_str_eq(cfg.datapath, "linux");
    switch_config_destroy(&cfg);
}
END_TEST

START_TEST(test_flow_style)
{
    struct switch_config cfg;

    parse_ok("{name: 'hv 2', tunnel_ip: \"10.1.0.1\", ports: [], "
             "mac_ageing_time: 10, datapath: linux, description: ''}", &cfg);
    ck_assert_str_eq(cfg.name, "hv 2");
    ck_assert_str_eq(cfg.description, "");
    ck_assert_str_eq(cfg.tunnel_ip, "10.1.0.1");
    ck_assert_uint_eq(cfg.n_ports, 0);
    ck_assert_uint_eq(cfg.mac_ageing, 10);
    ck_assert_str_eq(cfg.datapath, "linux");
    switch_config_destroy(&cfg);

    parse_ok("---\nname: hv1\nmac_ageing_time: 1000000\n...\n", &cfg);
    ck_assert_str_eq(cfg.name, "hv1");
    ck_assert_uint_eq(cfg.mac_ageing, 1000000);
    switch_config_destroy(&cfg);
}
END_TEST

START_TEST(test_ports_names)
{
    struct switch_config cfg;

    parse_ok("name: hv1\n"
             "ports:\n"
             "  - p1\n"
             "  - eth0.100\n"
             "  - '123456789012345'\n", &cfg);
    ck_assert_uint_eq(cfg.n_ports, 3);
    ck_assert_str_eq(cfg.ports[0].pattern, "p1");
    ck_assert_str_eq(cfg.ports[1].pattern, "eth0.100");
    ck_assert_str_eq(cfg.ports[2].pattern, "123456789012345");
    for (size_t i = 0; i < cfg.n_ports; i++) {
        ck_assert_ptr_null(cfg.ports[i].description);
    }
    switch_config_destroy(&cfg);
}
END_TEST

START_TEST(test_ports_globs)
{
    struct switch_config cfg;

    parse_ok("name: hv1\n"
             "ports: [\"eth*\", 'p?', \"tap[0-9]\", "
             "\"a-very-long-glob-pattern*\"]\n", &cfg);
    ck_assert_uint_eq(cfg.n_ports, 4);
    ck_assert_str_eq(cfg.ports[0].pattern, "eth*");
    ck_assert_str_eq(cfg.ports[1].pattern, "p?");
    ck_assert_str_eq(cfg.ports[2].pattern, "tap[0-9]");
    ck_assert_str_eq(cfg.ports[3].pattern, "a-very-long-glob-pattern*");
    switch_config_destroy(&cfg);
}
END_TEST

START_TEST(test_ports_maps)
{
    struct switch_config cfg;

    parse_ok("name: hv1\n"
             "ports:\n"
             "  - name: p1\n"
             "    description: \"to server 1\"\n"
             "  - {description: uplinks, name: \"eth*\"}\n"
             "  - name: p3\n"
             "  - p4\n", &cfg);
    ck_assert_uint_eq(cfg.n_ports, 4);
    ck_assert_str_eq(cfg.ports[0].pattern, "p1");
    ck_assert_str_eq(cfg.ports[0].description, "to server 1");
    ck_assert_str_eq(cfg.ports[1].pattern, "eth*");
    ck_assert_str_eq(cfg.ports[1].description, "uplinks");
    ck_assert_str_eq(cfg.ports[2].pattern, "p3");
    ck_assert_ptr_null(cfg.ports[2].description);
    ck_assert_str_eq(cfg.ports[3].pattern, "p4");
    ck_assert_ptr_null(cfg.ports[3].description);
    switch_config_destroy(&cfg);
}
END_TEST

START_TEST(test_reparse)
{
    struct switch_config cfg;
    char *error = NULL;
    const char *good = "name: hv2\n";
    const char *bad = "name: hv1\ntunnel_ip: foo\n";

    /* A second parse replaces the first one's result. */
    parse_ok("name: hv1\ntunnel_ip: 10.0.0.1\nports: [p1]\n", &cfg);
    ck_assert_int_eq(switch_config_parse(good, strlen(good), FILE_NAME, &cfg,
                                         &error), 0);
    ck_assert_ptr_null(error);
    ck_assert_str_eq(cfg.name, "hv2");
    ck_assert_ptr_null(cfg.tunnel_ip);
    ck_assert_uint_eq(cfg.n_ports, 0);

    /* A failed parse leaves it empty. */
    ck_assert_int_eq(switch_config_parse(bad, strlen(bad), FILE_NAME, &cfg,
                                         &error), EINVAL);
    assert_prefix(error, FILE_NAME ":2:12: ");
    assert_empty(&cfg);
    switch_config_destroy(&cfg);
    free(error);
}
END_TEST

START_TEST(test_error_syntax)
{
    assert_error("name: hv1\n  foo: bar\n",
                 FILE_NAME ":2:6: mapping values are not allowed in this "
                 "context");
    assert_error("name: *hv\n", FILE_NAME ":1:7: found undefined alias");

    /* The wording of these varies with the libyaml version, the place does
     * not. */
    assert_error("name: hv1\nports: [p1, p2\n", FILE_NAME ":3:1: ");
    assert_error("name: \"hv1\n", FILE_NAME ":2:1: ");
    assert_error("name: hv1\n\tports: []\n", FILE_NAME ":2:1: ");
    assert_error("name: hv1\ndescription: \"caf\xc3\xa9 \xff\"\n",
                 FILE_NAME ":2:20: invalid leading UTF-8 octet");
    assert_error_len("name: hv1\0\n", 11,
                     FILE_NAME ":1:10: control characters are not allowed");
}
END_TEST

START_TEST(test_error_unknown_key)
{
    assert_error("# vtepd configuration file\n"
                 "name: hv1\n"
                 "tunnel_ip: 10.0.0.1\n"
                 "\n"
                 "prots: [p1]\n",
                 FILE_NAME ":5:1: unknown key 'prots'; expected one of name, "
                 "description, tunnel_ip, management_ips, ports, "
                 "mac_ageing_time, datapath");
    assert_error("name: hv1\nports:\n  - name: p1\n    descr: x\n",
                 FILE_NAME ":4:5: unknown key 'descr' in port; expected one "
                 "of name, description");
    assert_error("name: hv1\n[a]: b\n",
                 FILE_NAME ":2:1: expected a key name, got a sequence");
    assert_error("name: hv1\n~: b\n",
                 FILE_NAME ":2:1: expected a key name, got null");
}
END_TEST

START_TEST(test_error_wrong_type)
{
    assert_error("name: [hv1]\n", FILE_NAME ":1:7: expected a non-empty "
                 "string for 'name', got a sequence");
    assert_error("name: hv1\ndescription: {a: b}\n", FILE_NAME ":2:14: "
                 "expected a string for 'description', got a mapping");
    assert_error("name: hv1\ndescription:\n", FILE_NAME ":2:13: "
                 "expected a string for 'description', got nothing");
    assert_error("name: hv1\nmanagement_ips: 192.0.2.10\n", FILE_NAME
                 ":2:17: expected a sequence of IPv4 addresses for "
                 "'management_ips', got '192.0.2.10'");
    assert_error("name: hv1\nports: p1\n", FILE_NAME ":2:8: expected a "
                 "sequence of ports for 'ports', got 'p1'");
    assert_error("name: hv1\nports:\n  - [p1]\n", FILE_NAME ":3:5: expected "
                 "a port name, glob or mapping in 'ports', got a sequence");
    assert_error("name: hv1\nports:\n  - name: p1\n    description: [x]\n",
                 FILE_NAME ":4:18: expected a string for 'description', "
                 "got a sequence");
    assert_error("name: hv1\nports: [{name: [p1]}]\n", FILE_NAME ":2:16: "
                 "expected a port name or glob in 'ports', got a sequence");
    assert_error("name: hv1\nmac_ageing_time: abc\n", FILE_NAME ":2:18: "
                 "expected an integer from 10 to 1000000 for "
                 "'mac_ageing_time', got 'abc'");
    assert_error("name: hv1\ndatapath: [linux]\n", FILE_NAME ":2:11: "
                 "expected 'linux' or 'dummy' for 'datapath', got a "
                 "sequence");
}
END_TEST

START_TEST(test_error_missing_name)
{
    assert_error("tunnel_ip: 10.0.0.1\nports: [p1]\n",
                 FILE_NAME ":1:1: missing required key 'name'");
    assert_error("# comment\n\ndescription: x\n",
                 FILE_NAME ":3:1: missing required key 'name'");
    assert_error("name: hv1\nports:\n  - p1\n  - description: x\n",
                 FILE_NAME ":4:5: missing required key 'name' in port");
    assert_error("name: hv1\nports: [{}]\n",
                 FILE_NAME ":2:9: missing required key 'name' in port");
}
END_TEST

START_TEST(test_error_empty_name)
{
    assert_error("name: \"\"\n", FILE_NAME ":1:7: expected a non-empty "
                 "string for 'name', got ''");
    assert_error("name:\n", FILE_NAME ":1:6: expected a non-empty string "
                 "for 'name', got nothing");
    assert_error("name: ~\n", FILE_NAME ":1:7: expected a non-empty string "
                 "for 'name', got null");
    assert_error("name: hv1\nports: ['']\n", FILE_NAME ":2:9: expected a "
                 "port name or glob in 'ports', got ''");
}
END_TEST

START_TEST(test_error_bad_tunnel_ip)
{
    assert_error("# hv1\nname: hv1\ntunnel_ip: foo\n",
                 FILE_NAME ":3:12: expected an IPv4 address for 'tunnel_ip', "
                 "got 'foo'");
    assert_error("name: hv1\ntunnel_ip: 10.0.0.1/24\n",
                 FILE_NAME ":2:12: expected an IPv4 address for 'tunnel_ip', "
                 "got '10.0.0.1/24'");
    assert_error("name: hv1\ntunnel_ip: 10.0.0.256\n",
                 FILE_NAME ":2:12: expected an IPv4 address for 'tunnel_ip', "
                 "got '10.0.0.256'");
    assert_error("name: hv1\ntunnel_ip:\n",
                 FILE_NAME ":2:11: expected an IPv4 address for 'tunnel_ip', "
                 "got nothing");
    assert_error("name: hv1\ntunnel_ip: 0.0.0.0\n",
                 FILE_NAME ":2:12: expected a unicast IPv4 address for "
                 "'tunnel_ip', got '0.0.0.0'");
    assert_error("name: hv1\ntunnel_ip: 239.1.1.1\n",
                 FILE_NAME ":2:12: expected a unicast IPv4 address for "
                 "'tunnel_ip', got '239.1.1.1'");
    assert_error("name: hv1\ntunnel_ip: 255.255.255.255\n",
                 FILE_NAME ":2:12: expected a unicast IPv4 address for "
                 "'tunnel_ip', got '255.255.255.255'");
}
END_TEST

START_TEST(test_error_ipv6_tunnel_ip)
{
    assert_error("name: hv1\ntunnel_ip: 2001:db8::1\n",
                 FILE_NAME ":2:12: expected one IPv4 address for "
                 "'tunnel_ip', got '2001:db8::1' (IPv6 is not supported "
                 "yet)");
    assert_error("name: hv1\ntunnel_ip: \"::ffff:10.0.0.1\"\n",
                 FILE_NAME ":2:12: expected one IPv4 address for "
                 "'tunnel_ip', got '::ffff:10.0.0.1'");
    assert_error("name: hv1\nmanagement_ips: [192.0.2.1, \"fe80::1\"]\n",
                 FILE_NAME ":2:29: expected one IPv4 address in "
                 "'management_ips', got 'fe80::1'");
}
END_TEST

START_TEST(test_error_several_tunnel_ips)
{
    assert_error("name: hv1\ntunnel_ip: [10.0.0.1, 10.0.0.2]\n",
                 FILE_NAME ":2:12: expected one IPv4 address for "
                 "'tunnel_ip', got a sequence");
    assert_error("name: hv1\ntunnel_ip: 10.0.0.1, 10.0.0.2\n",
                 FILE_NAME ":2:12: expected one IPv4 address for "
                 "'tunnel_ip', got '10.0.0.1, 10.0.0.2'");
    assert_error("name: hv1\ntunnel_ip: 10.0.0.1 10.0.0.2\n",
                 FILE_NAME ":2:12: expected one IPv4 address for "
                 "'tunnel_ip', got '10.0.0.1 10.0.0.2'");
}
END_TEST

START_TEST(test_error_management_ips)
{
    assert_error("name: hv1\nmanagement_ips:\n  - 192.0.2.1\n  - bar\n",
                 FILE_NAME ":4:5: expected an IPv4 address in "
                 "'management_ips', got 'bar'");
    assert_error("name: hv1\nmanagement_ips: [[192.0.2.1]]\n",
                 FILE_NAME ":2:18: expected an IPv4 address in "
                 "'management_ips', got a sequence");
}
END_TEST

START_TEST(test_error_mac_ageing_time)
{
    static const char *const bad[] = {
        "9", "1000001", "0", "-300", "+300", "30.5", "99999999999999999999",
        "0x12c", "' 300'",
    };

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        char *text = xasprintf("name: hv1\nmac_ageing_time: %s\n", bad[i]);
        char *prefix = xasprintf(FILE_NAME ":2:18: expected an integer from "
                                 "10 to 1000000 for 'mac_ageing_time', got "
                                 "'%s'",
                                 bad[i][0] == '\'' ? " 300" : bad[i]);

        assert_error(text, prefix);
        free(prefix);
        free(text);
    }
}
END_TEST

START_TEST(test_error_datapath)
{
    assert_error("name: hv1\ndatapath: netdev\n",
                 FILE_NAME ":2:11: expected 'linux' or 'dummy' for "
                 "'datapath', got 'netdev'");
    assert_error("name: hv1\ndatapath: Linux\n",
                 FILE_NAME ":2:11: expected 'linux' or 'dummy' for "
                 "'datapath', got 'Linux'");
}
END_TEST

START_TEST(test_error_duplicate_key)
{
    assert_error("name: hv1\ntunnel_ip: 10.0.0.1\nname: hv2\n",
                 FILE_NAME ":3:1: duplicate key 'name'; first given at line "
                 "1, column 1");
    assert_error("{name: hv1, ports: [], ports: [p1]}",
                 FILE_NAME ":1:24: duplicate key 'ports'; first given at "
                 "line 1, column 13");
    assert_error("name: hv1\nports:\n  - name: p1\n    name: p2\n",
                 FILE_NAME ":4:5: duplicate key 'name' in port; first given "
                 "at line 3, column 5");
}
END_TEST

START_TEST(test_error_duplicate_port)
{
    assert_error("name: hv1\nports:\n  - p1\n  - \"eth*\"\n  - name: p1\n",
                 FILE_NAME ":5:5: duplicate port 'p1'");
}
END_TEST

START_TEST(test_error_long_port_name)
{
    assert_error("name: hv1\nports: [a-very-long-name]\n",
                 FILE_NAME ":2:9: expected a port name of at most 15 "
                 "characters in 'ports', got 'a-very-long-name'");
}
END_TEST

START_TEST(test_error_empty_file)
{
    static const char *const empty[] = {
        "", "\n", "# Nothing but a comment.\n\n",
    };

    for (size_t i = 0; i < ARRAY_SIZE(empty); i++) {
        assert_error(empty[i], FILE_NAME ":1:1: expected a mapping of "
                     "configuration keys, got an empty file");
    }

    /* A document marker makes an empty document, with a null root. */
    assert_error("---\n", FILE_NAME ":2:1: expected a mapping of "
                 "configuration keys, got nothing");
    assert_error("# c\n---\n...\n", FILE_NAME ":3:1: expected a mapping of "
                 "configuration keys, got nothing");
}
END_TEST

START_TEST(test_error_not_mapping)
{
    assert_error("- name: hv1\n", FILE_NAME ":1:1: expected a mapping of "
                 "configuration keys, got a sequence");
    assert_error("# hv1\nhv1\n", FILE_NAME ":2:1: expected a mapping of "
                 "configuration keys, got 'hv1'");
    assert_error("~\n", FILE_NAME ":1:1: expected a mapping of "
                 "configuration keys, got null");
}
END_TEST

START_TEST(test_error_two_documents)
{
    assert_error("name: hv1\n---\nname: hv2\n",
                 FILE_NAME ":3:1: expected a single document");
}
END_TEST

START_TEST(test_match_names)
{
    const struct switch_config_port *port;
    struct switch_config cfg;

    parse_ok("name: hv1\nports:\n  - p1\n  - name: p2\n    description: x\n",
             &cfg);
    ck_assert(switch_config_match_port(&cfg, "p1", &port));
    ck_assert_ptr_eq(port, &cfg.ports[0]);
    ck_assert(switch_config_match_port(&cfg, "p2", &port));
    ck_assert_ptr_eq(port, &cfg.ports[1]);
    ck_assert_str_eq(port->description, "x");
    ck_assert(switch_config_match_port(&cfg, "p1", NULL));

    ck_assert(!switch_config_match_port(&cfg, "p3", &port));
    ck_assert_ptr_null(port);
    ck_assert(!switch_config_match_port(&cfg, "p", NULL));
    ck_assert(!switch_config_match_port(&cfg, "p10", NULL));
    ck_assert(!switch_config_match_port(&cfg, "", NULL));
    switch_config_destroy(&cfg);

    parse_ok("name: hv1\n", &cfg);
    ck_assert(!switch_config_match_port(&cfg, "p1", &port));
    ck_assert_ptr_null(port);
    switch_config_destroy(&cfg);
}
END_TEST

START_TEST(test_match_globs)
{
    const struct switch_config_port *port;
    struct switch_config cfg;

    parse_ok("name: hv1\n"
             "ports:\n"
             "  - \"veth*\"\n"
             "  - \"tap[0-3]\"\n"
             "  - \"p?\"\n"
             "  - name: veth7\n"
             "    description: exact\n", &cfg);
    ck_assert(switch_config_match_port(&cfg, "veth0", &port));
    ck_assert_ptr_eq(port, &cfg.ports[0]);
    ck_assert(switch_config_match_port(&cfg, "veth", &port));
    ck_assert_ptr_eq(port, &cfg.ports[0]);
    ck_assert(switch_config_match_port(&cfg, "tap3", &port));
    ck_assert_ptr_eq(port, &cfg.ports[1]);
    ck_assert(switch_config_match_port(&cfg, "p1", &port));
    ck_assert_ptr_eq(port, &cfg.ports[2]);

    /* An exact name wins over an earlier glob. */
    ck_assert(switch_config_match_port(&cfg, "veth7", &port));
    ck_assert_ptr_eq(port, &cfg.ports[3]);
    ck_assert_str_eq(port->description, "exact");

    ck_assert(!switch_config_match_port(&cfg, "tap4", NULL));
    ck_assert(!switch_config_match_port(&cfg, "p12", NULL));
    ck_assert(!switch_config_match_port(&cfg, "eth0", NULL));
    ck_assert(!switch_config_match_port(&cfg, "xveth0", NULL));
    switch_config_destroy(&cfg);
}
END_TEST

START_TEST(test_load)
{
    char *file_name = write_temp_file("name: hv1\ntunnel_ip: 10.0.0.1\n"
                                      "ports: [p1]\n");
    struct switch_config cfg;
    char *error = NULL;

    switch_config_init(&cfg);
    ck_assert_int_eq(switch_config_load(file_name, &cfg, &error), 0);
    ck_assert_ptr_null(error);
    ck_assert_str_eq(cfg.name, "hv1");
    ck_assert_str_eq(cfg.tunnel_ip, "10.0.0.1");
    ck_assert_uint_eq(cfg.n_ports, 1);
    switch_config_destroy(&cfg);
    unlink(file_name);
    free(file_name);
}
END_TEST

START_TEST(test_load_bad)
{
    char *file_name = write_temp_file("name: hv1\ntunnel_ip: foo\n");
    char *prefix = xasprintf("%s:2:12: expected an IPv4 address", file_name);
    struct switch_config cfg;
    char *error = NULL;

    switch_config_init(&cfg);
    ck_assert_int_eq(switch_config_load(file_name, &cfg, &error), EINVAL);
    assert_prefix(error, prefix);
    assert_empty(&cfg);
    switch_config_destroy(&cfg);
    unlink(file_name);
    free(file_name);
    free(prefix);
    free(error);

    /* An empty file. */
    file_name = write_temp_file("");
    prefix = xasprintf("%s:1:1: expected a mapping", file_name);
    switch_config_init(&cfg);
    ck_assert_int_eq(switch_config_load(file_name, &cfg, &error), EINVAL);
    assert_prefix(error, prefix);
    switch_config_destroy(&cfg);
    unlink(file_name);
    free(file_name);
    free(prefix);
    free(error);
}
END_TEST

START_TEST(test_load_missing)
{
    const char *file_name = "/nonexistent-vtepd-dir/hv1.yaml";
    struct switch_config cfg;
    char *expected;
    char *error = NULL;

    switch_config_init(&cfg);
    ck_assert_int_eq(switch_config_load(file_name, &cfg, &error), ENOENT);
    expected = xasprintf("%s: %s", file_name, ovs_strerror(ENOENT));
    ck_assert_str_eq(error, expected);
    assert_empty(&cfg);
    switch_config_destroy(&cfg);
    free(expected);
    free(error);

    /* A directory opens, but cannot be read. */
    switch_config_init(&cfg);
    ck_assert_int_eq(switch_config_load("/", &cfg, &error), EISDIR);
    expected = xasprintf("/: %s", ovs_strerror(EISDIR));
    ck_assert_str_eq(error, expected);
    switch_config_destroy(&cfg);
    free(expected);
    free(error);
}
END_TEST

START_TEST(test_examples)
{
    struct switch_config cfg;

    load_example("hv1.yaml", &cfg);
    ck_assert_str_eq(cfg.name, "hv1");
    ck_assert_str_eq(cfg.tunnel_ip, "10.0.0.1");
    ck_assert_uint_eq(cfg.n_ports, 1);
    ck_assert_str_eq(cfg.ports[0].pattern, "p1");
    ck_assert_str_eq(cfg.datapath, "linux");
    switch_config_destroy(&cfg);

    load_example("hv2.yaml", &cfg);
    ck_assert_str_eq(cfg.name, "hv2");
    ck_assert_str_eq(cfg.tunnel_ip, "10.1.0.1");
    ck_assert_uint_eq(cfg.n_ports, 1);
    ck_assert_str_eq(cfg.ports[0].pattern, "p1");
    switch_config_destroy(&cfg);
}
END_TEST

/* Returns the suite of all the tests above. */
static Suite *
switch_config_suite(void)
{
    Suite *s = suite_create("switch-config");
    TCase *good = tcase_create("good files");
    TCase *bad = tcase_create("broken files");
    TCase *match = tcase_create("port matching");
    TCase *load = tcase_create("loading files");

    tcase_add_test(good, test_all_keys);
    tcase_add_test(good, test_minimal);
    tcase_add_test(good, test_flow_style);
    tcase_add_test(good, test_ports_names);
    tcase_add_test(good, test_ports_globs);
    tcase_add_test(good, test_ports_maps);
    tcase_add_test(good, test_reparse);
    suite_add_tcase(s, good);

    tcase_add_test(bad, test_error_syntax);
    tcase_add_test(bad, test_error_unknown_key);
    tcase_add_test(bad, test_error_wrong_type);
    tcase_add_test(bad, test_error_missing_name);
    tcase_add_test(bad, test_error_empty_name);
    tcase_add_test(bad, test_error_bad_tunnel_ip);
    tcase_add_test(bad, test_error_ipv6_tunnel_ip);
    tcase_add_test(bad, test_error_several_tunnel_ips);
    tcase_add_test(bad, test_error_management_ips);
    tcase_add_test(bad, test_error_mac_ageing_time);
    tcase_add_test(bad, test_error_datapath);
    tcase_add_test(bad, test_error_duplicate_key);
    tcase_add_test(bad, test_error_duplicate_port);
    tcase_add_test(bad, test_error_long_port_name);
    tcase_add_test(bad, test_error_empty_file);
    tcase_add_test(bad, test_error_not_mapping);
    tcase_add_test(bad, test_error_two_documents);
    suite_add_tcase(s, bad);

    tcase_add_test(match, test_match_names);
    tcase_add_test(match, test_match_globs);
    suite_add_tcase(s, match);

    tcase_add_test(load, test_load);
    tcase_add_test(load, test_load_bad);
    tcase_add_test(load, test_load_missing);
    tcase_add_test(load, test_examples);
    suite_add_tcase(s, load);

    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(switch_config_suite());
    int n_failed;

    srunner_run_all(sr, CK_NORMAL);
    n_failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
