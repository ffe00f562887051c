/* switch-config.c -- the vtepd YAML configuration file.
 *
 * The file is loaded with libyaml's document API, then walked node by node.
 * Every error names the file, line and column (1-based) of the node that is
 * wrong, the way compilers do.  See vtepd.conf(5) for the format. */

#include <config.h>

#include "switch-config.h"

#include <errno.h>
#include <fnmatch.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(switch_config);

/* Bounds of "mac_ageing_time", in seconds. */
#define MIN_AGEING 10
#define MAX_AGEING 1000000

/* Keys of the top-level mapping, in the order that error messages list
 * them. */
enum config_key {
    KEY_NAME,
    KEY_DESCRIPTION,
    KEY_TUNNEL_IP,
    KEY_MANAGEMENT_IPS,
    KEY_PORTS,
    KEY_MAC_AGEING_TIME,
    KEY_DATAPATH,
    N_CONFIG_KEYS
};

/* Names of the keys of the top-level mapping, indexed by enum config_key. */
static const char *const config_keys[N_CONFIG_KEYS] = {
    [KEY_NAME] = "name",
    [KEY_DESCRIPTION] = "description",
    [KEY_TUNNEL_IP] = "tunnel_ip",
    [KEY_MANAGEMENT_IPS] = "management_ips",
    [KEY_PORTS] = "ports",
    [KEY_MAC_AGEING_TIME] = "mac_ageing_time",
    [KEY_DATAPATH] = "datapath",
};

/* Keys of a port given as a mapping. */
enum port_key {
    PORT_KEY_NAME,
    PORT_KEY_DESCRIPTION,
    N_PORT_KEYS
};

/* Names of the keys of a port mapping, indexed by enum port_key. */
static const char *const port_keys[N_PORT_KEYS] = {
    [PORT_KEY_NAME] = "name",
    [PORT_KEY_DESCRIPTION] = "description",
};

/* State of one parse. */
struct parser {
    const char *file_name;      /* File name for error messages. */
    yaml_document_t *doc;       /* Document being walked. */
    char *error;                /* Error message, or NULL. */
};

/* A key found in a mapping. */
struct found_key {
    const yaml_node_t *key;     /* Key node, or NULL if absent. */
    const yaml_node_t *value;   /* Value node, or NULL if absent. */
};

/* Records in 'p' an error at 'mark', formatted from 'format', and returns
 * EINVAL. */
static int OVS_PRINTF_FORMAT(3, 4)
report(struct parser *p, const yaml_mark_t *mark, const char *format, ...)
{
    va_list args;
    char *message;

    va_start(args, format);
    message = xvasprintf(format, args);
    va_end(args);

    p->error = xasprintf("%s:%zu:%zu: %s", p->file_name, mark->line + 1,
                         mark->column + 1, message);
    free(message);
    return EINVAL;
}

/* Returns the value of scalar 'node' as a C string. */
static const char *
scalar_value(const yaml_node_t *node)
{
    return (const char *) node->data.scalar.value;
}

/* Returns true if 'node' is a YAML null: an unquoted scalar that is empty or
 * one of the core schema spellings of null. */
static bool
is_null(const yaml_node_t *node)
{
    static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };

    if (node->type != YAML_SCALAR_NODE
        || node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
        return false;
    }
    for (size_t i = 0; i < ARRAY_SIZE(nulls); i++) {
        if (!strcmp(scalar_value(node), nulls[i])) {
            return true;
        }
    }
    return false;
}

/* Returns true if 'node' is a string: a scalar that is not null and has no
 * embedded NUL character. */
static bool
is_string(const yaml_node_t *node)
{
    return (node->type == YAML_SCALAR_NODE
            && !is_null(node)
            && strlen(scalar_value(node)) == node->data.scalar.length);
}

/* Returns a malloc()'d description of what 'node' holds, for the "got ..."
 * part of error messages. */
static char *
describe_node(const yaml_node_t *node)
{
    if (node->type == YAML_SCALAR_NODE) {
        return (!is_null(node) ? xasprintf("'%s'", scalar_value(node))
                : node->data.scalar.length ? xstrdup("null")
                : xstrdup("nothing"));
    } else if (node->type == YAML_SEQUENCE_NODE) {
        return xstrdup("a sequence");
    } else {
        return xstrdup("a mapping");
    }
}

/* Records in 'p' an error "expected WHAT, got NODE" about 'node', where WHAT
 * is formatted from 'format', and returns EINVAL. */
static int OVS_PRINTF_FORMAT(3, 4)
expected(struct parser *p, const yaml_node_t *node, const char *format, ...)
{
    char *what, *got;
    va_list args;
    int error;

    va_start(args, format);
    what = xvasprintf(format, args);
    va_end(args);

    got = describe_node(node);
    error = report(p, &node->start_mark, "expected %s, got %s", what, got);
    free(got);
    free(what);
    return error;
}

/* Returns the node with index 'index' in the document of 'p'. */
static const yaml_node_t *
get_node(const struct parser *p, int index)
{
    return yaml_document_get_node(p->doc, index);
}

/* Checks that each key of mapping 'node' is a string among the 'n_keys'
 * names in 'keys' and appears only once, and stores in found[i] the key and
 * value nodes of keys[i] (both NULL if the key is absent).  'where' ("" for
 * the top level) completes error messages.  Returns 0 or EINVAL. */
static int
parse_mapping(struct parser *p, const yaml_node_t *node,
              const char *const keys[], size_t n_keys, const char *where,
              struct found_key found[])
{
    const yaml_node_pair_t *pair;

    memset(found, 0, n_keys * sizeof *found);
    for (pair = node->data.mapping.pairs.start;
         pair < node->data.mapping.pairs.top; pair++) {
        const yaml_node_t *key = get_node(p, pair->key);
        size_t i;

        if (!is_string(key)) {
            return expected(p, key, "a key name%s", where);
        }
        for (i = 0; i < n_keys; i++) {
            if (!strcmp(scalar_value(key), keys[i])) {
                break;
            }
        }
        if (i >= n_keys) {
            struct ds names = DS_EMPTY_INITIALIZER;
            int error;

            for (i = 0; i < n_keys; i++) {
                ds_put_format(&names, "%s%s", i ? ", " : "", keys[i]);
            }
            error = report(p, &key->start_mark,
                           "unknown key '%s'%s; expected one of %s",
                           scalar_value(key), where, ds_cstr(&names));
            ds_destroy(&names);
            return error;
        }
        if (found[i].key) {
            return report(p, &key->start_mark,
                          "duplicate key '%s'%s; first given at line %zu, "
                          "column %zu", keys[i], where,
                          found[i].key->start_mark.line + 1,
                          found[i].key->start_mark.column + 1);
        }
        found[i].key = key;
        found[i].value = get_node(p, pair->value);
    }
    return 0;
}

/* Parses 'node' as a string for key 'key', which must not be empty if
 * 'nonempty', and stores a malloc()'d copy in '*valuep'.  Returns 0 or
 * EINVAL. */
static int
parse_string(struct parser *p, const yaml_node_t *node, const char *key,
             bool nonempty, char **valuep)
{
    if (!is_string(node) || (nonempty && !node->data.scalar.length)) {
        return expected(p, node, "a %sstring for '%s'",
                        nonempty ? "non-empty " : "", key);
    }
    *valuep = xstrdup(scalar_value(node));
    return 0;
}

/* Parses 'node' as one unicast IPv4 address and stores its canonical form,
 * malloc()'d, in '*ipp'.  'where' (e.g. "for 'tunnel_ip'") completes error
 * messages.  Returns 0 or EINVAL. */
static int
parse_ipv4(struct parser *p, const yaml_node_t *node, const char *where,
           char **ipp)
{
    struct in6_addr ip6;
    const char *s;
    ovs_be32 ip;

    if (!is_string(node)) {
        return expected(p, node, "an IPv4 address %s", where);
    }
    s = scalar_value(node);
    if (ip_parse(s, &ip)) {
        if (!ip || ip == htonl(UINT32_MAX) || ip_is_multicast(ip)) {
            return expected(p, node, "a unicast IPv4 address %s", where);
        }
        *ipp = xasprintf(IP_FMT, IP_ARGS(ip));
        return 0;
    } else if (ipv6_parse(s, &ip6)) {
        return report(p, &node->start_mark, "expected one IPv4 address %s, "
                      "got '%s' (IPv6 is not supported yet)", where, s);
    } else if (strpbrk(s, ", \t\n")) {
        return expected(p, node, "one IPv4 address %s", where);
    } else {
        return expected(p, node, "an IPv4 address %s", where);
    }
}

/* Parses 'node', the value of "tunnel_ip", into 'cfg'. */
static int
parse_tunnel_ip(struct parser *p, const yaml_node_t *node,
                struct switch_config *cfg)
{
    if (node->type == YAML_SEQUENCE_NODE) {
        return expected(p, node, "one IPv4 address for 'tunnel_ip'");
    }
    return parse_ipv4(p, node, "for 'tunnel_ip'", &cfg->tunnel_ip);
}

/* Parses 'node', the value of "management_ips", into 'cfg'. */
static int
parse_management_ips(struct parser *p, const yaml_node_t *node,
                     struct switch_config *cfg)
{
    const yaml_node_item_t *item;

    if (node->type != YAML_SEQUENCE_NODE) {
        return expected(p, node,
                        "a sequence of IPv4 addresses for 'management_ips'");
    }
    for (item = node->data.sequence.items.start;
         item < node->data.sequence.items.top; item++) {
        char *ip;
        int error = parse_ipv4(p, get_node(p, *item), "in 'management_ips'",
                               &ip);
        if (error) {
            return error;
        }
        sset_add_and_free(&cfg->management_ips, ip);
    }
    return 0;
}

/* Parses 'node' as a port name or fnmatch(3) glob and stores a malloc()'d
 * copy in '*patternp'.  Returns 0 or EINVAL. */
static int
parse_pattern(struct parser *p, const yaml_node_t *node, char **patternp)
{
    const char *s;

    if (!is_string(node) || !node->data.scalar.length) {
        return expected(p, node, "a port name or glob in 'ports'");
    }
    s = scalar_value(node);
    if (!strpbrk(s, "*?[") && strlen(s) >= IFNAMSIZ) {
        return expected(p, node, "a port name of at most %d characters in "
                        "'ports'", IFNAMSIZ - 1);
    }
    *patternp = xstrdup(s);
    return 0;
}

/* Parses 'node', an item of "ports", into 'port', which must be zeroed.  On
 * error, 'port' may hold some malloc()'d data that the caller must free. */
static int
parse_port(struct parser *p, const yaml_node_t *node,
           struct switch_config_port *port)
{
    const yaml_node_t *description = NULL;
    const yaml_node_t *pattern = node;
    int error;

    if (node->type == YAML_MAPPING_NODE) {
        struct found_key found[N_PORT_KEYS];

        error = parse_mapping(p, node, port_keys, N_PORT_KEYS, " in port",
                              found);
        if (error) {
            return error;
        }
        if (!found[PORT_KEY_NAME].value) {
            return report(p, &node->start_mark,
                          "missing required key 'name' in port");
        }
        pattern = found[PORT_KEY_NAME].value;
        description = found[PORT_KEY_DESCRIPTION].value;
    } else if (node->type != YAML_SCALAR_NODE) {
        return expected(p, node, "a port name, glob or mapping in 'ports'");
    }

    error = parse_pattern(p, pattern, &port->pattern);
    if (!error && description) {
        error = parse_string(p, description, "description", false,
                             &port->description);
    }
    return error;
}

/* Parses 'node', the value of "ports", into 'cfg'. */
static int
parse_ports(struct parser *p, const yaml_node_t *node,
            struct switch_config *cfg)
{
    const yaml_node_item_t *item;

    if (node->type != YAML_SEQUENCE_NODE) {
        return expected(p, node, "a sequence of ports for 'ports'");
    }
    cfg->ports = xcalloc(node->data.sequence.items.top
                         - node->data.sequence.items.start,
                         sizeof *cfg->ports);
    for (item = node->data.sequence.items.start;
         item < node->data.sequence.items.top; item++) {
        const yaml_node_t *port_node = get_node(p, *item);
        struct switch_config_port *port = &cfg->ports[cfg->n_ports++];
        int error = parse_port(p, port_node, port);

        if (error) {
            return error;
        }
        for (size_t i = 0; i < cfg->n_ports - 1; i++) {
            if (!strcmp(cfg->ports[i].pattern, port->pattern)) {
                return report(p, &port_node->start_mark,
                              "duplicate port '%s'", port->pattern);
            }
        }
    }
    return 0;
}

/* Parses 'node', the value of "mac_ageing_time", into 'cfg'. */
static int
parse_mac_ageing(struct parser *p, const yaml_node_t *node,
                 struct switch_config *cfg)
{
    if (is_string(node)) {
        const char *s = scalar_value(node);
        size_t n_digits = strspn(s, "0123456789");

        /* Nine digits cannot overflow an unsigned long. */
        if (n_digits && !s[n_digits] && n_digits <= 9) {
            unsigned long int value = strtoul(s, NULL, 10);
            if (value >= MIN_AGEING && value <= MAX_AGEING) {
                cfg->mac_ageing = value;
                return 0;
            }
        }
    }
    return expected(p, node, "an integer from %d to %d for 'mac_ageing_time'",
                    MIN_AGEING, MAX_AGEING);
}

/* Parses 'node', the value of "datapath", into 'cfg'. */
static int
parse_datapath(struct parser *p, const yaml_node_t *node,
               struct switch_config *cfg)
{
    if (!is_string(node) || (strcmp(scalar_value(node), "linux")
                             && strcmp(scalar_value(node), "dummy"))) {
        return expected(p, node, "'linux' or 'dummy' for 'datapath'");
    }
    cfg->datapath = xstrdup(scalar_value(node));
    return 0;
}

/* Parses the document of 'p' into 'cfg', which must be empty.  On error,
 * 'cfg' may hold partial data that the caller must free. */
static int
parse_document(struct parser *p, struct switch_config *cfg)
{
    const yaml_node_t *root = yaml_document_get_root_node(p->doc);
    struct found_key found[N_CONFIG_KEYS];
    int error;

    if (!root) {
        static const yaml_mark_t start = { .line = 0, .column = 0 };
        return report(p, &start, "expected a mapping of configuration keys, "
                      "got an empty file");
    } else if (root->type != YAML_MAPPING_NODE) {
        return expected(p, root, "a mapping of configuration keys");
    }

    error = parse_mapping(p, root, config_keys, N_CONFIG_KEYS, "", found);
    if (error) {
        return error;
    }
    if (!found[KEY_NAME].value) {
        return report(p, &root->start_mark, "missing required key 'name'");
    }

    error = parse_string(p, found[KEY_NAME].value, "name", true, &cfg->name);
    if (!error && found[KEY_DESCRIPTION].value) {
        error = parse_string(p, found[KEY_DESCRIPTION].value, "description",
                             false, &cfg->description);
    }
    if (!error && found[KEY_TUNNEL_IP].value) {
        error = parse_tunnel_ip(p, found[KEY_TUNNEL_IP].value, cfg);
    }
    if (!error && found[KEY_MANAGEMENT_IPS].value) {
        error = parse_management_ips(p, found[KEY_MANAGEMENT_IPS].value, cfg);
    }
    if (!error && found[KEY_PORTS].value) {
        error = parse_ports(p, found[KEY_PORTS].value, cfg);
    }
    if (!error && found[KEY_MAC_AGEING_TIME].value) {
        error = parse_mac_ageing(p, found[KEY_MAC_AGEING_TIME].value, cfg);
    }
    if (!error) {
        if (found[KEY_DATAPATH].value) {
            error = parse_datapath(p, found[KEY_DATAPATH].value, cfg);
        } else {
            cfg->datapath = xstrdup("linux");
        }
    }
    return error;
}

/* Records in 'p' the error that stopped 'parser' while it read the 'len'
 * bytes of 'text', and returns EINVAL. */
static int
syntax_error(struct parser *p, const yaml_parser_t *parser,
             const char *text, size_t len)
{
    const char *problem = parser->problem ? parser->problem : "syntax error";
    yaml_mark_t mark = parser->problem_mark;

    if (parser->error == YAML_MEMORY_ERROR) {
        out_of_memory();
    } else if (parser->error == YAML_READER_ERROR) {
        /* Reader errors give only a byte offset: count lines, and characters
         * (UTF-8 lead bytes) since the last new-line. */
        size_t end = MIN(parser->problem_offset, len);

        mark.line = mark.column = 0;
        for (size_t i = 0; i < end; i++) {
            if (text[i] == '\n') {
                mark.line++;
                mark.column = 0;
            } else if ((text[i] & 0xc0) != 0x80) {
                mark.column++;
            }
        }
    }

    if (parser->context) {
        return report(p, &mark, "%s (%s at line %zu, column %zu)", problem,
                      parser->context, parser->context_mark.line + 1,
                      parser->context_mark.column + 1);
    }
    return report(p, &mark, "%s", problem);
}

/* Initializes 'cfg' as an empty configuration with the defaults. */
void
switch_config_init(struct switch_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    sset_init(&cfg->management_ips);
    cfg->mac_ageing = SWITCH_CONFIG_DEFAULT_AGEING;
}

/* Frees what 'cfg' holds (not 'cfg' itself). */
void
switch_config_destroy(struct switch_config *cfg)
{
    free(cfg->name);
    free(cfg->description);
    free(cfg->tunnel_ip);
    sset_destroy(&cfg->management_ips);
    for (size_t i = 0; i < cfg->n_ports; i++) {
        free(cfg->ports[i].pattern);
        free(cfg->ports[i].description);
    }
    free(cfg->ports);
    free(cfg->datapath);
}

/* Parses YAML 'text' of 'len' bytes into 'cfg'; see switch-config.h. */
int
switch_config_parse(const char *text, size_t len, const char *file_name,
                    struct switch_config *cfg, char **errorp)
{
    struct parser p = { .file_name = file_name };
    yaml_document_t doc, next;
    yaml_parser_t parser;
    int error;

    switch_config_destroy(cfg);
    switch_config_init(cfg);
    *errorp = NULL;

    if (!yaml_parser_initialize(&parser)) {
        out_of_memory();
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *) text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        error = syntax_error(&p, &parser, text, len);
    } else {
        /* Read on to the end of the stream, so that syntax errors anywhere
         * take precedence and a second document is refused. */
        if (!yaml_parser_load(&parser, &next)) {
            error = syntax_error(&p, &parser, text, len);
        } else {
            const yaml_node_t *root = yaml_document_get_root_node(&next);

            p.doc = &doc;
            error = (root
                     ? report(&p, &root->start_mark,
                              "expected a single document")
                     : parse_document(&p, cfg));
            yaml_document_delete(&next);
        }
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&parser);

    if (error) {
        switch_config_destroy(cfg);
        switch_config_init(cfg);
        *errorp = p.error;
    }
    return error;
}

/* Appends the contents of 'file_name' to 'text'.  Returns 0 or an errno
 * value. */
static int
read_file(const char *file_name, struct ds *text)
{
    FILE *stream = fopen(file_name, "r");
    char buf[4096];
    size_t n;
    int error;

    if (!stream) {
        return errno;
    }
    while ((n = fread(buf, 1, sizeof buf, stream)) > 0) {
        ds_put_buffer(text, buf, n);
    }
    error = ferror(stream) ? (errno ? errno : EIO) : 0;
    fclose(stream);
    return error;
}

/* Reads and parses 'file_name' into 'cfg'; see switch-config.h. */
int
switch_config_load(const char *file_name, struct switch_config *cfg,
                   char **errorp)
{
    struct ds text = DS_EMPTY_INITIALIZER;
    int error = read_file(file_name, &text);

    if (error) {
        switch_config_destroy(cfg);
        switch_config_init(cfg);
        *errorp = xasprintf("%s: %s", file_name, ovs_strerror(error));
    } else {
        error = switch_config_parse(ds_cstr(&text), text.length, file_name,
                                    cfg, errorp);
        if (!error) {
            VLOG_DBG("%s: switch %s, %zu port patterns", file_name, cfg->name,
                     cfg->n_ports);
        }
    }
    ds_destroy(&text);
    return error;
}

/* Returns true if port 'name' matches a pattern of 'cfg', storing the entry
 * in '*portp' (NULL if none). */
bool
switch_config_match_port(const struct switch_config *cfg, const char *name,
                         const struct switch_config_port **portp)
{
    const struct switch_config_port *port = NULL;

    /* An exact name wins over a glob that also matches. */
    for (size_t i = 0; !port && i < cfg->n_ports; i++) {
        if (!strcmp(cfg->ports[i].pattern, name)) {
            port = &cfg->ports[i];
        }
    }
    for (size_t i = 0; !port && i < cfg->n_ports; i++) {
        if (!fnmatch(cfg->ports[i].pattern, name, 0)) {
            port = &cfg->ports[i];
        }
    }
    if (portp) {
        *portp = port;
    }
    return port != NULL;
}
