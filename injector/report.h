/*
 * Reports: the JSON Lines log written while the run goes (one object per
 * process start, exec, injection and exit), and the summary at the end.
 */
#ifndef SF_REPORT_H
#define SF_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "rules/point.h"
#include "rules/rule.h"

struct sf_log;

/* Opens PATH for writing; NULL with errno set on failure. */
struct sf_log *sf_log_open(const char *path);
void sf_log_close(struct sf_log *log);

/* Every function accepts a NULL log and then does nothing. */
void sf_log_start(struct sf_log *log, pid_t pid, pid_t tid, pid_t parent, bool is_thread);
void sf_log_exec(struct sf_log *log, pid_t pid, pid_t tid, const char *path);
void sf_log_inject(struct sf_log *log, pid_t pid, pid_t tid, enum sf_abi abi,
		   unsigned nr, const struct sf_rule *rule, uint64_t occurrence);
void sf_log_exit(struct sf_log *log, pid_t pid, pid_t tid, int status, int signo, bool is_core);
void sf_log_end(struct sf_log *log, int exit_status, uint64_t seed, bool timed_out);
/* A record run's line for point P of process PID (thread TID). */
void sf_log_point(struct sf_log *log, pid_t pid, pid_t tid, const struct sf_point *p);
/* The clean result of the call the last point of TID named (it follows that point). */
void sf_log_result(struct sf_log *log, pid_t pid, pid_t tid, int64_t rval);

/* Writes S as a JSON string, quotes included. */
void sf_json_string(FILE *out, const char *s);

#endif
