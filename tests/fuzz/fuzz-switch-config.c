/* fuzz-switch-config.c -- libFuzzer target for the YAML configuration file
 * parser (lib/switch-config.c).
 *
 * Each input is a whole configuration file, given to switch_config_parse().
 * Besides crashes and sanitizer reports, the target checks the parser's
 * contract: success leaves no error message and a named switch, failure
 * leaves an error message and an empty configuration.  Everything is freed,
 * so that LeakSanitizer catches what the parser leaks. */

#include <config.h>

#include "switch-config.h"

#include <stdint.h>
#include <stdlib.h>

#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Parses the 'size' bytes in 'data' as a configuration file and checks the
 * result. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct switch_config cfg;
    char *error;

    switch_config_init(&cfg);
    if (!switch_config_parse((const char *) data, size, "fuzz.yaml", &cfg,
                             &error)) {
        ovs_assert(!error);
        ovs_assert(cfg.name && cfg.datapath);
        switch_config_match_port(&cfg, "p1", NULL);
    } else {
        ovs_assert(error);
        ovs_assert(!cfg.name && !cfg.n_ports
                   && sset_is_empty(&cfg.management_ips));
    }
    switch_config_destroy(&cfg);
    free(error);
    return 0;
}
