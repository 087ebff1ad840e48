/*
 * The engine's side of a call view (rules/filter.h): what the filters may
 * ask about the call at a stop, fetched from the tracee's memory, /proc
 * and (the stack) an unwind only when asked, once per stop.
 */
#ifndef SF_CALL_VIEW_H
#define SF_CALL_VIEW_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "engine/regs.h"
#include "engine/stack.h"
#include "rules/filter.h"
#include "rules/syscall_args.h"

struct sf_tracee;
struct sf_tracee_table;

/* One stop's answers.  The buffers are reused from stop to stop. */
struct sf_call_facts {
	struct sf_tracee *tracee;
	struct sf_tracee_table *tracees;   /* keeps the tracee's comm file open; may be NULL */
	const struct sf_syscall *sc;
	struct sf_stacks *stacks;   /* the engine's, kept from stop to stop; may be NULL */
	uint32_t known;          /* bits: which answers below are filled in (call_view.c) */
	const char *raw[SF_SYSCALL_ARGS_MAX];
	const char *resolved[SF_SYSCALL_ARGS_MAX];
	const char *fd_path[SF_SYSCALL_ARGS_MAX];
	int fd_type[SF_SYSCALL_ARGS_MAX];
	const char *comm, *exe;
	const struct sf_frames *stack;
	char raw_buf[SF_SYSCALL_ARGS_MAX][PATH_MAX];
	char resolved_buf[SF_SYSCALL_ARGS_MAX][PATH_MAX];
	char fd_path_buf[SF_SYSCALL_ARGS_MAX][PATH_MAX];
	char comm_buf[32];
	char exe_buf[PATH_MAX];
};

/*
 * A view of the call SC of TRACEE, answered through FACTS (reset here); its
 * stack is unwound through STACKS (NULL: none).  The executable's path is
 * kept in the tracee's group until its next exec, its comm file open in
 * TRACEES (NULL: opened at each read).
 */
void sf_call_view_init(struct sf_call_view *view, struct sf_call_facts *facts,
		       struct sf_stacks *stacks, struct sf_tracee_table *tracees,
		       struct sf_tracee *tracee, const struct sf_syscall *sc);

/* Whether a filter asked VIEW anything of the thread (memory, /proc, the stack). */
bool sf_call_view_has_read(const struct sf_call_view *view);

/*
 * The stack of VIEW's call (VIEW from sf_call_view_init) with file:line,
 * for a report: unwound now unless a filter asked already.  NULL when
 * the engine keeps no stacks.
 */
const struct sf_frames *sf_call_view_stack_with_source(const struct sf_call_view *view);

/*
 * PATH joined to BASE (when PATH is relative) and made canonical without
 * touching the file system: "." and ".." and repeated '/' go, as the
 * kernel would walk them if no component were a symlink.  Into OUT
 * (PATH_MAX); false when the result would not fit.
 */
bool sf_path_join_normal(const char *base, const char *path, char *out);

#endif
