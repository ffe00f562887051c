/* faults.c -- what a physical switch cannot do. */

#include <config.h>
#include "faults.h"

#include <stdarg.h>
#include "openvswitch/dynamic-string.h"
#include "util.h"

/* Initializes 'f' with no faults. */
void
faults_init(struct faults *f)
{
    svec_init(&f->messages);
    sset_init(&f->switch_status);
    shash_init(&f->port_status);
}

/* Frees the port status sets of 'f' and empties its map of them. */
static void
faults_clear_ports(struct faults *f)
{
    struct shash_node *node;

    SHASH_FOR_EACH (node, &f->port_status) {
        sset_destroy(node->data);
        free(node->data);
    }
    shash_clear(&f->port_status);
}

/* Frees what 'f' holds. */
void
faults_destroy(struct faults *f)
{
    svec_destroy(&f->messages);
    sset_destroy(&f->switch_status);
    faults_clear_ports(f);
    shash_destroy(&f->port_status);
}

/* Removes every fault from 'f'. */
void
faults_clear(struct faults *f)
{
    svec_clear(&f->messages);
    sset_clear(&f->switch_status);
    faults_clear_ports(f);
}

/* Exchanges the contents of 'a' and 'b'. */
void
faults_swap(struct faults *a, struct faults *b)
{
    svec_swap(&a->messages, &b->messages);
    sset_swap(&a->switch_status, &b->switch_status);
    shash_swap(&a->port_status, &b->port_status);
}

/* Sorts the messages of 'f' and drops duplicates (one problem found twice,
 * e.g. in two rows, is one line). */
void
faults_finish(struct faults *f)
{
    svec_sort_unique(&f->messages);
}

/* Returns malloc()'d 's' with its control characters and backslashes
 * escaped as in C (freeing 's' if that changes anything).  A message quotes
 * strings from the database, which anyone may write: each must stay one
 * line in the log and in vtepd/show, and never forge another. */
static char *
escape_message(char *s)
{
    const char *p;

    for (p = s; *p; p++) {
        if ((unsigned char) *p < 0x20 || *p == 0x7f || *p == '\\') {
            break;
        }
    }
    if (!*p) {
        return s;
    }

    struct ds ds = DS_EMPTY_INITIALIZER;
    for (p = s; *p; p++) {
        unsigned char c = *p;

        switch (c) {
        case '\n':
            ds_put_cstr(&ds, "\\n");
            break;
        case '\r':
            ds_put_cstr(&ds, "\\r");
            break;
        case '\t':
            ds_put_cstr(&ds, "\\t");
            break;
        case '\\':
            ds_put_cstr(&ds, "\\\\");
            break;
        default:
            if (c < 0x20 || c == 0x7f) {
                ds_put_format(&ds, "\\x%02x", c);
            } else {
                ds_put_char(&ds, c);
            }
            break;
        }
    }
    free(s);
    return ds_steal_cstr(&ds);
}

/* Adds the message made from 'format' and 'args' to 'f', with its control
 * characters escaped. */
static void OVS_PRINTF_FORMAT(2, 0)
faults_add_message(struct faults *f, const char *format, va_list args)
{
    svec_add_nocopy(&f->messages, escape_message(xvasprintf(format, args)));
}

/* Records a fault of the switch itself: 'status' (a vtep(5) value) and
 * 'code' (vtepd's own) go into switch_fault_status, the message made from
 * 'format' into the log. */
void
faults_add_switch(struct faults *f, const char *status, const char *code,
                  const char *format, ...)
{
    va_list args;

    va_start(args, format);
    faults_add_message(f, format, args);
    va_end(args);
    sset_add(&f->switch_status, status);
    sset_add(&f->switch_status, code);
}

/* Records a fault of port 'port': 'status' and 'code' go into its
 * port_fault_status, the message made from 'format' into the log. */
void
faults_add_port(struct faults *f, const char *port, const char *status,
                const char *code, const char *format, ...)
{
    struct sset *set = shash_find_data(&f->port_status, port);
    va_list args;

    va_start(args, format);
    faults_add_message(f, format, args);
    va_end(args);
    if (!set) {
        set = xmalloc(sizeof *set);
        sset_init(set);
        shash_add(&f->port_status, port, set);
    }
    sset_add(set, status);
    sset_add(set, code);
}

/* Returns the port_fault_status values of 'port' in 'f', or NULL if it has
 * none. */
const struct sset *
faults_port_status(const struct faults *f, const char *port)
{
    return shash_find_data(&f->port_status, port);
}
