/*
 * Reports: the JSON Lines log written while the run goes (a format line,
 * then one object per process start, exec, injection and exit) and the
 * summary at the end, both through json.h.
 */
#ifndef SF_REPORT_H
#define SF_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "json.h"
#include "rules/point.h"
#include "rules/rule.h"

/* The "format" of each JSON output: its kind and major version (README, "Log format"). */
#define SF_LOG_FORMAT "sysfault-log/1"
#define SF_SUMMARY_FORMAT "sysfault-summary/1"

struct sf_log;

/*
 * Opens PATH for writing (sf_outfile_open(): no planted symlink is
 * followed) and writes the format line; NULL with errno set on failure.
 */
struct sf_log *sf_log_open(const char *path);
/* Closes LOG (NULL is fine); 0, or -errno of the first line that could not be written. */
int sf_log_close(struct sf_log *log);

/* Every function accepts a NULL log and then does nothing. */
void sf_log_start(struct sf_log *log, pid_t pid, pid_t tid, pid_t parent, bool is_thread);
/* TID of PID exec'd: the new program's path is read (/proc/TID/exe) only when LOG is open. */
void sf_log_exec(struct sf_log *log, pid_t pid, pid_t tid);
/*
 * RULE acted on call NR of ABI, the OCCURRENCE-th it counted, made by thread
 * THREAD (creation index) of the process of LINEAGE (NULL: not yet named);
 * the line names the failure point as explore and --point do, and carries
 * STACK, the calling thread's frames, when it is not NULL.
 */
void sf_log_inject(struct sf_log *log, pid_t pid, pid_t tid, const char *lineage, unsigned thread,
		   enum sf_abi abi, unsigned nr, const struct sf_rule *rule, uint64_t occurrence,
		   const struct sf_frames *stack);
void sf_log_exit(struct sf_log *log, pid_t pid, pid_t tid, int status, int signo, bool is_core);
void sf_log_end(struct sf_log *log, int exit_status, uint64_t seed, bool timed_out);
/*
 * A record run's line for point P of process PID (thread TID), which runs
 * EXE (NULL: unknown), with STACK unless it is NULL.
 */
void sf_log_point(struct sf_log *log, pid_t pid, pid_t tid, const struct sf_point *p,
		  const char *exe, const struct sf_frames *stack);
/* The clean result of the call the last point of TID named (it follows that point). */
void sf_log_result(struct sf_log *log, pid_t pid, pid_t tid, int64_t retval);

#endif
