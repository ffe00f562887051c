/* fault-log.c -- the log lines about faults that appear and go away.
 *
 * Thousands of bad rows must not flood the log, so the lines are
 * rate-limited: a burst of 50, then 20 a minute, for new faults and for
 * resolved ones each.  vtepd/show and the fault status columns always have
 * every fault.  Unlike a vlog rate limit, which says how many lines it
 * dropped only with the next line it lets through (perhaps never), the
 * count of left-out lines is logged at most FAULT_LOG_REPORT_MS after the
 * first of them. */

#include <config.h>

#include <limits.h>
#include <string.h>

#include "fault-log.h"
#include "faults.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "timeval.h"

VLOG_DEFINE_THIS_MODULE(fault_log);

/* The rate limit: lines a minute, and the burst allowed at once. */
#define FAULT_LOG_RATE 20
#define FAULT_LOG_BURST 50

/* Tokens a line costs: the bucket gains 'rate' tokens a millisecond, so
 * 60,000 make it 'rate' lines a minute (as in vlog). */
#define FAULT_LOG_TOKENS (60 * 1000)

/* The shortest time between two logged counts of left-out lines. */
#define FAULT_LOG_REPORT_MS 5000

/* Initializes 'log' with full buckets and nothing left out. */
void
fault_log_init(struct fault_log *log)
{
    token_bucket_init(&log->new_tb, FAULT_LOG_RATE,
                      FAULT_LOG_BURST * FAULT_LOG_TOKENS);
    token_bucket_init(&log->resolved_tb, FAULT_LOG_RATE,
                      FAULT_LOG_BURST * FAULT_LOG_TOKENS);
    log->new_dropped = log->resolved_dropped = 0;
    log->first_dropped = LLONG_MAX;
    log->next_report = LLONG_MIN;
}

/* Counts one line left out in '*dropped'. */
static void
fault_log_drop(struct fault_log *log, unsigned int *dropped)
{
    if (log->first_dropped == LLONG_MAX) {
        log->first_dropped = time_msec();
    }
    (*dropped)++;
}

/* Logs the faults in 'new' that are not in 'old' as warnings, and those in
 * 'old' that are gone as resolved, within the rate limit, then the count of
 * lines left out if it is due.  Both lists of messages are sorted (see
 * faults_finish()), so one walk over them finds both. */
void
fault_log_changes(struct fault_log *log, const char *ps_name,
                  const struct faults *old, const struct faults *new)
{
    const struct svec *a = &old->messages;
    const struct svec *b = &new->messages;
    size_t i = 0, j = 0;

    while (i < a->n || j < b->n) {
        int cmp = (i >= a->n ? 1
                   : j >= b->n ? -1
                   : strcmp(a->names[i], b->names[j]));
        if (cmp < 0) {
            if (token_bucket_withdraw(&log->resolved_tb, FAULT_LOG_TOKENS)) {
                VLOG_INFO("%s: resolved: %s", ps_name, a->names[i]);
            } else {
                fault_log_drop(log, &log->resolved_dropped);
            }
            i++;
        } else if (cmp > 0) {
            if (token_bucket_withdraw(&log->new_tb, FAULT_LOG_TOKENS)) {
                VLOG_WARN("%s: %s", ps_name, b->names[j]);
            } else {
                fault_log_drop(log, &log->new_dropped);
            }
            j++;
        } else {
            i++;
            j++;
        }
    }
    fault_log_run(log);
}

/* Logs how many lines were left out since the last count, if any were and
 * the last count is at least FAULT_LOG_REPORT_MS old. */
void
fault_log_run(struct fault_log *log)
{
    long long int now = time_msec();

    if (log->first_dropped == LLONG_MAX || now < log->next_report) {
        return;
    }

    long long int secs = (now - log->first_dropped + 999) / 1000;
    if (log->new_dropped) {
        VLOG_WARN("Dropped %u log messages about new faults in the last "
                  "%lld seconds (vtepd/show and the fault status columns "
                  "list every fault)", log->new_dropped, secs);
    }
    if (log->resolved_dropped) {
        VLOG_INFO("Dropped %u log messages about resolved faults in the "
                  "last %lld seconds", log->resolved_dropped, secs);
    }
    log->new_dropped = log->resolved_dropped = 0;
    log->first_dropped = LLONG_MAX;
    log->next_report = now + FAULT_LOG_REPORT_MS;
}

/* Arranges for poll_block() to wake up when a count of left-out lines is
 * due. */
void
fault_log_wait(const struct fault_log *log)
{
    if (log->first_dropped != LLONG_MAX) {
        poll_timer_wait_until(log->next_report);
    }
}
