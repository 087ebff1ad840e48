/*
 * Filters: which of the calls a rule's syscall set names it selects, by
 * what the call works on (path, fd, fd_path, fd_type), who makes it
 * (process), from where in the program (caller: a function on the calling
 * thread's stack) and its raw arguments (args); and strace's run-wide -P and
 * --trace-fds.  A call a filter turns away is not counted: `when` counts
 * only what every filter lets through.
 *
 * The rules never read a tracee: what a filter needs to know about a call
 * comes through a call view (struct sf_call_view), which the engine fills
 * in lazily, so a fact no filter asks about is never fetched.
 */
#ifndef SF_FILTER_H
#define SF_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rules/names.h"

/* fnmatch(3) patterns; one with a leading '!' excludes what it matches. */
struct sf_globs {
	char **v;
	unsigned n;
};

/* File descriptor numbers, as inclusive ranges. */
struct sf_fd_range {
	int64_t lo, hi;
};
struct sf_fd_set {
	struct sf_fd_range *v;
	unsigned n;
};

/* What an fd refers to, as fd_type names it. */
enum sf_fd_type {
	SF_FD_FILE, SF_FD_DIR, SF_FD_PIPE, SF_FD_SOCKET, SF_FD_TTY, SF_FD_CHR, SF_FD_BLK,
	SF_FD_EVENTFD, SF_FD_TIMERFD, SF_FD_SIGNALFD, SF_FD_EPOLL, SF_FD_INOTIFY, SF_FD_PIDFD,
	SF_FD_ANON,      /* another anonymous inode (userfaultfd, perf_event, io_uring...) */
	SF_FD_TYPE_COUNT
};
const char *sf_fd_type_name(enum sf_fd_type t);

/* A condition on one raw argument ("arg2 & O_CREAT", "arg0 == 1"). */
enum sf_cond_op {
	SF_COND_EQ, SF_COND_NE, SF_COND_LT, SF_COND_LE, SF_COND_GT, SF_COND_GE,
	SF_COND_ANY,         /* argN & MASK: some bit of MASK set */
	SF_COND_MASKED_EQ,   /* argN & MASK == VALUE */
	SF_COND_MASKED_NE,   /* argN & MASK != VALUE */
};
struct sf_arg_cond {
	unsigned arg;        /* 0..5: "arg1" is 0 */
	enum sf_cond_op op;
	uint64_t mask;       /* ANY, MASKED_*; all ones otherwise */
	uint64_t value;
	bool is_int32;       /* == or != a negative int: only the low 32 bits count */
	char *text;          /* as written, for check and reports */
};

struct sf_filter {
	struct sf_globs path;       /* a path argument, resolved, matches */
	struct sf_globs fd_path;    /* what an fd argument refers to matches */
	struct sf_globs process;    /* the caller's comm or executable matches */
	struct sf_globs caller;     /* a function of the calling thread's stack matches */
	struct sf_fd_set fd;        /* an fd argument is one of these */
	uint32_t fd_types;          /* bit per sf_fd_type an fd argument may be; 0: any */
	struct sf_arg_cond *args;   /* all must hold */
	unsigned nargs;
};

/* strace's -P PATH and --trace-fds=SET: a call must touch one of them (either). */
struct sf_trace_select {
	char **paths;               /* as given, and each one's realpath */
	unsigned npaths;
	struct sf_fd_set fds;
};

/*
 * Directories whose files no rule sees a call on (run --ignore-dir): each as
 * given, made absolute, and its realpath when that differs.
 */
struct sf_ignored_dirs {
	char **v;
	unsigned n;
};

/*
 * One frame of the calling thread's user stack, innermost first, as the
 * engine unwinds it (engine/stack.c).  The strings live until the process
 * execs or ends; what is not known is NULL (a stripped module has no
 * function, a module without line tables no file).
 */
struct sf_frame {
	uint64_t pc;                /* as unwound: the call's own address, or a return address */
	const char *module;         /* the module's file (or "[vdso]"); NULL: in no known module */
	const char *build_id;       /* the module's GNU build ID in hex, or NULL */
	uint64_t offset;            /* address in the module's ELF file (addr2line's); PC if no module */
	const char *function;       /* the symbol it is in, as the symbol table names it */
	const char *file;           /* source file, where DWARF line tables say and a report asks */
	int line;                   /* 0 when FILE is NULL */
};
#define SF_FRAMES_MAX 64            /* frames unwound at most; deeper ones are left out */
struct sf_frames {
	const struct sf_frame *v;
	unsigned n;
};

/*
 * A call as the filters see it.  The engine answers through OPS, each at
 * most once per call; an answer it cannot give (a bad pointer, an fd that
 * is not open, a process that is gone) is NULL or -1 and matches nothing.
 */
struct sf_call_view_ops {
	/* Path argument I as the tracee passed it, or resolved to an absolute path. */
	const char *(*path)(void *ctx, unsigned i, bool resolved);
	/* What fd FD refers to: "/etc/passwd", "pipe:[1234]", "socket:[99]", ... */
	const char *(*fd_path)(void *ctx, int fd);
	int (*fd_type)(void *ctx, int fd);     /* enum sf_fd_type, or -1 */
	const char *(*comm)(void *ctx);
	const char *(*exe)(void *ctx);
	/* The calling thread's stack (an unwind through ptrace: the dearest answer); never NULL. */
	const struct sf_frames *(*stack)(void *ctx);
};
struct sf_call_view {
	enum sf_abi abi;
	unsigned nr;
	const uint64_t *args;                   /* [6] */
	const struct sf_call_view_ops *ops;
	void *ctx;
};

bool sf_filter_is_empty(const struct sf_filter *f);
/* Whether F looks at the stack (caller): then a log of its injections shows the stack. */
bool sf_filter_has_caller(const struct sf_filter *f);
bool sf_filter_matches(const struct sf_filter *f, const struct sf_call_view *v);
void sf_filter_release(struct sf_filter *f);

/* Whether some -P or --trace-fds was given. */
bool sf_trace_select_is_set(const struct sf_trace_select *s);
bool sf_trace_select_matches(const struct sf_trace_select *s, const struct sf_call_view *v);
void sf_trace_select_release(struct sf_trace_select *s);
/* -P PATH: PATH and, when it differs, its realpath. 0, -1 (WHY says) or -ENOMEM. */
int sf_trace_select_add_path(struct sf_trace_select *s, const char *path, char *why, size_t whylen);
/* --trace-fds=SET, strace's form: fd numbers separated by ','. */
int sf_trace_select_add_fds(struct sf_trace_select *s, const char *set, char *why, size_t whylen);

/*
 * Whether a path argument of V resolves at or below one of D's directories,
 * or an fd argument refers to a file there (its /proc/PID/fd link).
 */
bool sf_ignored_dirs_match(const struct sf_ignored_dirs *d, const struct sf_call_view *v);
/* --ignore-dir DIR: 0, -1 (WHY says) or -ENOMEM. */
int sf_ignored_dirs_add(struct sf_ignored_dirs *d, const char *dir, char *why, size_t whylen);
void sf_ignored_dirs_release(struct sf_ignored_dirs *d);

/*
 * Parsers of the filter keys, shared by scenario files and -e specs; each
 * adds to F and returns 0, or -1 with the reason in WHY.
 */
int sf_filter_add_glob(struct sf_globs *g, const char *key, const char *pattern,
		       char *why, size_t whylen);
/* caller: a glob on a function's name ("save_*", "!log_*"), never a path. */
int sf_filter_add_caller(struct sf_filter *f, const char *pattern, char *why, size_t whylen);
int sf_filter_add_fds(struct sf_fd_set *s, const char *text, char *why, size_t whylen);
int sf_filter_add_fd_type(struct sf_filter *f, const char *name, char *why, size_t whylen);
int sf_filter_add_arg_cond(struct sf_filter *f, const char *text, char *why, size_t whylen);

/*
 * After the rule is read: a filter on something none of SET's calls take
 * (`path` on write, `fd` on getpid) is a mistake.  0, or -1 with WHY.
 */
struct sf_sysset;
int sf_filter_check(const struct sf_filter *f, const struct sf_sysset *set, char *why, size_t whylen);

/* The filter as `check` prints it (" path=/tmp/x fd_type=pipe,socket"), into BUF. */
void sf_filter_describe(const struct sf_filter *f, char *buf, size_t size);

#endif
