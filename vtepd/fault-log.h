/* fault-log.h -- the log lines about faults that appear and go away,
 * rate-limited, with a prompt count of the lines left out. */

#ifndef VTEPD_FAULT_LOG_H
#define VTEPD_FAULT_LOG_H 1

#include "openvswitch/token-bucket.h"

struct faults;

/* The rate limit and the lines not yet accounted for, for new faults and
 * for resolved ones each. */
struct fault_log {
    struct token_bucket new_tb;      /* Allows lines about new faults. */
    struct token_bucket resolved_tb; /* Allows lines about resolved ones. */
    unsigned int new_dropped;        /* New-fault lines left out since the
                                      * last count was logged. */
    unsigned int resolved_dropped;   /* The same for resolved faults. */
    long long int first_dropped;     /* When the first of those was left
                                      * out (LLONG_MAX if none was). */
    long long int next_report;       /* Earliest time for the next count. */
};

void fault_log_init(struct fault_log *);
void fault_log_changes(struct fault_log *, const char *ps_name,
                       const struct faults *old, const struct faults *new);
void fault_log_run(struct fault_log *);
void fault_log_wait(const struct fault_log *);

#endif /* fault-log.h */
