/*
 * Filters of a rule, strace's -P / --trace-fds and run's --ignore-dir:
 * parsing the keys, checking them against the rule's syscalls, and
 * matching a call through its view.  Cheap tests first: raw arguments, fd
 * numbers, then what the engine must read from /proc or the tracee's
 * memory, and the stack last.
 */
#include "rules/filter.h"

#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "rules/constants.h"
#include "rules/rule.h"
#include "rules/suggest.h"
#include "rules/syscall_args.h"
#include "rules/sysset.h"

static const char *const fd_type_names[SF_FD_TYPE_COUNT + 1] = {
	[SF_FD_FILE] = "file", [SF_FD_DIR] = "dir", [SF_FD_PIPE] = "pipe",
	[SF_FD_SOCKET] = "socket", [SF_FD_TTY] = "tty", [SF_FD_CHR] = "chr",
	[SF_FD_BLK] = "blk", [SF_FD_EVENTFD] = "eventfd", [SF_FD_TIMERFD] = "timerfd",
	[SF_FD_SIGNALFD] = "signalfd", [SF_FD_EPOLL] = "epoll", [SF_FD_INOTIFY] = "inotify",
	[SF_FD_PIDFD] = "pidfd", [SF_FD_ANON] = "anon",
};

const char *sf_fd_type_name(enum sf_fd_type t)
{
	return (unsigned)t < SF_FD_TYPE_COUNT ? fd_type_names[t] : "?";
}

/* ---- Parsing ------------------------------------------------------------ */

int sf_filter_add_glob(struct sf_globs *g, const char *key, const char *pattern,
		       char *why, size_t whylen)
{
	const char *body = pattern[0] == '!' ? pattern + 1 : pattern;

	if (*body == '\0')
		return sf_why(why, whylen, "empty %s pattern; give a glob such as \"/tmp/*\"", key);
	if (strlen(body) >= PATH_MAX)
		return sf_why(why, whylen, "%s pattern longer than %d bytes", key, PATH_MAX - 1);
	char **v = realloc(g->v, (g->n + 1) * sizeof(*v));
	if (!v)
		return sf_why(why, whylen, "out of memory");
	g->v = v;
	if (!(g->v[g->n] = strdup(pattern)))
		return sf_why(why, whylen, "out of memory");
	g->n++;
	return 0;
}

int sf_filter_add_caller(struct sf_filter *f, const char *pattern, char *why, size_t whylen)
{
	if (pattern[pattern[0] == '!'] == '\0')
		return sf_why(why, whylen, "empty caller pattern; give a function's name or a glob "
			      "such as \"save_*\"");
	/* A symbol never holds '/': such a pattern is a path given by mistake. */
	if (strchr(pattern, '/'))
		return sf_why(why, whylen, "caller \"%s\" is a path; caller matches a function's name, "
			      "e.g. caller=save_config or caller=\"save_*\"", pattern);
	return sf_filter_add_glob(&f->caller, "caller", pattern, why, whylen);
}

/* A whole number that fits an fd: 0..INT_MAX. */
static int fd_number(const char *s, size_t len, int64_t *v)
{
	char *end;

	if (len == 0 || len > 10 || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	long long n = strtoll(s, &end, 10);
	if ((size_t)(end - s) != len || errno || n > INT_MAX)
		return -1;
	*v = n;
	return 0;
}

static int add_range(struct sf_fd_set *s, int64_t lo, int64_t hi)
{
	struct sf_fd_range *v = realloc(s->v, (s->n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	s->v = v;
	s->v[s->n++] = (struct sf_fd_range){ lo, hi };
	return 0;
}

/* "3", "0,1,2", "3..10", "0,3..5": numbers and inclusive ranges, comma separated. */
int sf_filter_add_fds(struct sf_fd_set *s, const char *text, char *why, size_t whylen)
{
	const char *p = text;

	if (*p == '\0')
		return sf_why(why, whylen, "empty fd set; give fd numbers such as 1 or 0,1,2 or 3..10");
	for (;;) {
		size_t len = strcspn(p, ",");
		const char *dots = memmem(p, len, "..", 2);
		int64_t lo, hi;
		size_t lo_len = dots ? (size_t)(dots - p) : len;
		if (fd_number(p, lo_len, &lo) < 0 ||
		    (dots && fd_number(dots + 2, len - lo_len - 2, &hi) < 0))
			return sf_why(why, whylen, "bad fd \"%.*s\"; give numbers 0..%d such as 1, or a "
				      "range such as 3..10", (int)len, p, INT_MAX);
		if (!dots)
			hi = lo;
		if (hi < lo)
			return sf_why(why, whylen, "fd range %.*s is backwards; write the lower fd first",
				      (int)len, p);
		if (add_range(s, lo, hi) < 0)
			return sf_why(why, whylen, "out of memory");
		if (p[len] == '\0')
			return 0;
		p += len + 1;
	}
}

int sf_filter_add_fd_type(struct sf_filter *f, const char *name, char *why, size_t whylen)
{
	for (unsigned t = 0; t < SF_FD_TYPE_COUNT; t++) {
		if (strcmp(name, fd_type_names[t]) == 0) {
			f->fd_types |= 1u << t;
			return 0;
		}
	}
	/* stat(2)'s word for a named pipe means the same here. */
	if (strcmp(name, "fifo") == 0) {
		f->fd_types |= 1u << SF_FD_PIPE;
		return 0;
	}
	const char *hint = sf_suggest_word(name, fd_type_names);
	if (hint)
		return sf_why(why, whylen, "unknown fd_type \"%s\"; did you mean \"%s\"?", name, hint);
	return sf_why(why, whylen, "unknown fd_type \"%s\"; use file, dir, pipe, socket, tty, chr, "
		      "blk, eventfd, timerfd, signalfd, epoll, inotify, pidfd or anon", name);
}

/* ---- args conditions ---------------------------------------------------- */

static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* One term of a value: a number (C's 0x/0 prefixes, a leading '-') or a constant. */
static int value_term(const char *s, size_t len, uint64_t *v, char *why, size_t whylen)
{
	char buf[64], *end;

	if (len == 0 || len >= sizeof(buf))
		return sf_why(why, whylen, "bad value \"%.*s\" in args; give a number or a constant "
			      "such as O_CREAT", (int)len, s);
	memcpy(buf, s, len);
	buf[len] = '\0';
	if ((buf[0] >= '0' && buf[0] <= '9') || buf[0] == '-') {
		errno = 0;
		if (buf[0] == '-') {
			long long n = strtoll(buf, &end, 0);
			*v = (uint64_t)n;
		} else {
			*v = strtoull(buf, &end, 0);
		}
		if (*end || errno)
			return sf_why(why, whylen, "bad number \"%s\" in args; write e.g. 1, 0x40 or -100", buf);
		return 0;
	}
	if (sf_constant_value(buf, v))
		return 0;
	const char *hint = sf_constant_suggest(buf);
	if (hint)
		return sf_why(why, whylen, "unknown constant \"%s\" in args; did you mean \"%s\"?", buf, hint);
	return sf_why(why, whylen, "unknown constant \"%s\" in args; give a number, or a name such as "
		      "O_CREAT, AT_FDCWD or MSG_DONTWAIT", buf);
}

/* A value: terms joined by '|' ("O_WRONLY|O_CREAT"). */
static int value_of(const char *s, uint64_t *v, char *why, size_t whylen)
{
	*v = 0;
	for (;;) {
		s = skip_space(s);
		size_t len = strcspn(s, "| \t");
		uint64_t term;
		if (value_term(s, len, &term, why, whylen) < 0)
			return -1;
		*v |= term;
		s = skip_space(s + len);
		if (*s == '\0')
			return 0;
		if (*s != '|')
			return sf_why(why, whylen, "unexpected \"%s\" in args; join constants with '|'", s);
		s++;
	}
}

static const struct {
	const char *text;
	enum sf_cond_op op;
} comparisons[] = {   /* longest first: "<=" before "<" */
	{ "==", SF_COND_EQ }, { "!=", SF_COND_NE }, { "<=", SF_COND_LE }, { ">=", SF_COND_GE },
	{ "<", SF_COND_LT }, { ">", SF_COND_GT },
};

#define COND_HINT "write e.g. \"arg3 & O_CREAT\", \"arg1 == 1\" or \"arg2 & O_ACCMODE == O_WRONLY\""

/* "argN OP VALUE", "argN & MASK" or "argN & MASK ==|!= VALUE". */
static int parse_cond(const char *text, struct sf_arg_cond *c, char *why, size_t whylen)
{
	const char *p = skip_space(text);

	if (strncmp(p, "arg", 3) != 0 || p[3] < '1' || p[3] > '6')
		return sf_why(why, whylen, "args condition \"%s\" must start with arg1..arg6 (the first argument is arg1, as strace numbers them); " COND_HINT, text);
	c->arg = (unsigned)(p[3] - '1');
	c->mask = UINT64_MAX;
	p = skip_space(p + 4);
	if (*p == '&') {
		const char *op = strpbrk(p + 1, "=!");
		char mask[256];
		size_t len = op ? (size_t)(op - p - 1) : strlen(p + 1);
		if (len >= sizeof(mask))
			return sf_why(why, whylen, "args condition \"%s\" is too long", text);
		memcpy(mask, p + 1, len);
		mask[len] = '\0';
		if (value_of(mask, &c->mask, why, whylen) < 0)
			return -1;
		if (!op) {
			c->op = SF_COND_ANY;
			return 0;
		}
		if (op[1] != '=')
			return sf_why(why, whylen, "args condition \"%s\": after the mask use == or !=; " COND_HINT, text);
		c->op = op[0] == '=' ? SF_COND_MASKED_EQ : SF_COND_MASKED_NE;
		return value_of(op + 2, &c->value, why, whylen);
	}
	for (size_t i = 0; i < sizeof(comparisons) / sizeof(comparisons[0]); i++) {
		size_t n = strlen(comparisons[i].text);
		if (strncmp(p, comparisons[i].text, n) == 0) {
			c->op = comparisons[i].op;
			if (value_of(p + n, &c->value, why, whylen) < 0)
				return -1;
			/*
			 * A negative int (AT_FDCWD, -1) reaches the register zero-extended
			 * from 32 bits as often as sign-extended: the kernel reads 32.
			 */
			int64_t v = (int64_t)c->value;
			c->is_int32 = (c->op == SF_COND_EQ || c->op == SF_COND_NE) && v < 0 && v >= INT32_MIN;
			return 0;
		}
	}
	return sf_why(why, whylen, "args condition \"%s\" has no operator; " COND_HINT, text);
}

int sf_filter_add_arg_cond(struct sf_filter *f, const char *text, char *why, size_t whylen)
{
	struct sf_arg_cond c = { 0 };

	if (parse_cond(text, &c, why, whylen) < 0)
		return -1;
	struct sf_arg_cond *v = realloc(f->args, (f->nargs + 1) * sizeof(*v));
	if (!v)
		return sf_why(why, whylen, "out of memory");
	f->args = v;
	if (!(c.text = strdup(text)))
		return sf_why(why, whylen, "out of memory");
	f->args[f->nargs++] = c;
	return 0;
}

/* ---- Checking against the rule's syscalls -------------------------------- */

/* Whether some call of SET has an argument of ROLE (or, for fds, a dirfd). */
static bool set_has_role(const struct sf_sysset *set, enum sf_arg_role role)
{
	for (unsigned abi = 0; abi < SF_ABI_COUNT; abi++) {
		for (unsigned nr = 0; nr < SF_NR_LIMIT; nr++) {
			if (!sf_sysset_has(set, (enum sf_abi)abi, nr))
				continue;
			const struct sf_syscall_args *a = sf_syscall_args((enum sf_abi)abi, nr);
			if (sf_syscall_arg_find(a, role, 0) >= 0 ||
			    (role == SF_ARG_FD && sf_syscall_arg_find(a, SF_ARG_DIRFD, 0) >= 0))
				return true;
		}
	}
	return false;
}

int sf_filter_check(const struct sf_filter *f, const struct sf_sysset *set, char *why, size_t whylen)
{
	if (f->path.n && !set_has_role(set, SF_ARG_PATH))
		return sf_why(why, whylen, "path: none of the rule's syscalls takes a path; for calls on "
			      "an open file use fd_path");
	if ((f->fd.n || f->fd_path.n || f->fd_types) && !set_has_role(set, SF_ARG_FD))
		return sf_why(why, whylen, "%s: none of the rule's syscalls takes a file descriptor; "
			      "for calls that take a path use path",
			      f->fd.n ? "fd" : f->fd_path.n ? "fd_path" : "fd_type");
	return 0;
}

/* ---- Matching ----------------------------------------------------------- */

/*
 * A pattern with a leading '/' matches the whole path; any other matches
 * the whole string or what follows any '/' in it, so "*.db" and
 * "data/x.db" find their file at any depth.  '*' crosses '/' (fnmatch
 * without FNM_PATHNAME).
 */
static bool glob_one(const char *pattern, const char *s)
{
	if (fnmatch(pattern, s, 0) == 0)
		return true;
	if (pattern[0] == '/')
		return false;
	for (const char *p = strchr(s, '/'); p; p = strchr(p + 1, '/'))
		if (fnmatch(pattern, p + 1, 0) == 0)
			return true;
	return false;
}

/*
 * A function's name, as the symbol table has it, or without the suffix
 * GCC gives the copies it makes of a function ("save.constprop.0",
 * "save.cold", "save.part.1") or a symbol version ("memcpy@@GLIBC_2.14"):
 * the user names the function they wrote.
 */
static bool function_one(const char *pattern, const char *name)
{
	char base[256];
	size_t len = strcspn(name, ".@");

	if (fnmatch(pattern, name, 0) == 0)
		return true;
	if (name[len] == '\0' || len == 0 || len >= sizeof(base))
		return false;
	memcpy(base, name, len);
	base[len] = '\0';
	return fnmatch(pattern, base, 0) == 0;
}

/*
 * Some including pattern matches one of the names (or there are only
 * excluding ones) and no excluding one matches any: a process is one
 * thing, whether its comm or its executable is named, and a stack is one,
 * whichever of its frames is named.  A name that could not be read
 * matches nothing; with none at all, the call does not pass.
 */
static bool globs_match_names(const struct sf_globs *g, const char *const names[], unsigned n,
			      bool (*one)(const char *pattern, const char *s))
{
	bool has_include = false, included = false, has_name = false;

	for (unsigned k = 0; k < n; k++)
		has_name |= names[k] != NULL;
	if (!has_name)
		return false;
	for (unsigned i = 0; i < g->n; i++) {
		const char *p = g->v[i];
		bool is_exclude = p[0] == '!';
		for (unsigned k = 0; k < n; k++) {
			if (!names[k] || !one(p + is_exclude, names[k]))
				continue;
			if (is_exclude)
				return false;
			included = true;
		}
		has_include |= !is_exclude;
	}
	return included || !has_include;
}

static bool globs_match(const struct sf_globs *g, const char *s)
{
	return globs_match_names(g, &s, 1, glob_one);
}

static bool has_exclusion(const struct sf_globs *g)
{
	for (unsigned i = 0; i < g->n; i++)
		if (g->v[i][0] == '!')
			return true;
	return false;
}

/*
 * process: the thread's comm or the executable.  The executable is asked
 * first, as the engine keeps it from call to call while the comm is read
 * anew (a thread renames itself without a stop): when it is included and
 * nothing can exclude, the comm need not be read.
 */
static bool process_matches(const struct sf_globs *g, const struct sf_call_view *v)
{
	const char *exe = v->ops->exe(v->ctx);

	if (exe && !has_exclusion(g) && globs_match_names(g, &exe, 1, glob_one))
		return true;
	const char *names[2] = { v->ops->comm(v->ctx), exe };
	return globs_match_names(g, names, 2, glob_one);
}

/* caller: the functions of the stack's frames, as one set of names. */
static bool caller_matches(const struct sf_globs *g, const struct sf_call_view *v)
{
	const struct sf_frames *stack = v->ops->stack ? v->ops->stack(v->ctx) : NULL;
	const char *names[SF_FRAMES_MAX];
	unsigned n = 0;

	for (unsigned i = 0; stack && i < stack->n && n < SF_FRAMES_MAX; i++)
		names[n++] = stack->v[i].function;
	return globs_match_names(g, names, n, function_one);
}

static bool fd_set_has(const struct sf_fd_set *s, int64_t fd)
{
	for (unsigned i = 0; i < s->n; i++)
		if (fd >= s->v[i].lo && fd <= s->v[i].hi)
			return true;
	return false;
}

static bool cond_holds(const struct sf_arg_cond *c, const struct sf_call_view *v)
{
	/* An i386 call's arguments are 32 bits wide: so is every constant it is compared with. */
	uint64_t width = v->abi == SF_ABI_I386 || c->is_int32 ? UINT32_MAX : UINT64_MAX;
	uint64_t a = v->args[c->arg] & width, value = c->value & width, mask = c->mask & width;

	switch (c->op) {
	case SF_COND_EQ: return a == value;
	case SF_COND_NE: return a != value;
	case SF_COND_LT: return a < value;
	case SF_COND_LE: return a <= value;
	case SF_COND_GT: return a > value;
	case SF_COND_GE: return a >= value;
	case SF_COND_ANY: return (a & mask) != 0;
	case SF_COND_MASKED_EQ: return (a & mask) == value;
	case SF_COND_MASKED_NE: return (a & mask) != value;
	}
	return false;
}

/* Whether some fd argument of the call passes every fd filter of F. */
static bool fd_filters_match(const struct sf_filter *f, const struct sf_call_view *v,
			     const struct sf_syscall_args *roles)
{
	for (unsigned i = 0; i < SF_SYSCALL_ARGS_MAX; i++) {
		if (!sf_arg_is_fd(roles->role[i]))
			continue;
		int fd = sf_arg_fd(v->args[i]);
		if (fd < 0 || (f->fd.n && !fd_set_has(&f->fd, fd)))
			continue;
		if (f->fd_types) {
			int t = v->ops->fd_type(v->ctx, fd);
			if (t < 0 || !(f->fd_types & (1u << t)))
				continue;
		}
		if (f->fd_path.n && !globs_match(&f->fd_path, v->ops->fd_path(v->ctx, fd)))
			continue;
		return true;
	}
	return false;
}

static bool path_filter_matches(const struct sf_globs *g, const struct sf_call_view *v,
				const struct sf_syscall_args *roles)
{
	for (unsigned i = 0; i < SF_SYSCALL_ARGS_MAX; i++)
		if (roles->role[i] == SF_ARG_PATH && globs_match(g, v->ops->path(v->ctx, i, true)))
			return true;
	return false;
}

bool sf_filter_is_empty(const struct sf_filter *f)
{
	return !f->path.n && !f->fd_path.n && !f->process.n && !f->caller.n && !f->fd.n &&
	       !f->fd_types && !f->nargs;
}

bool sf_filter_has_caller(const struct sf_filter *f)
{
	return f->caller.n > 0;
}

bool sf_filter_matches(const struct sf_filter *f, const struct sf_call_view *v)
{
	for (unsigned i = 0; i < f->nargs; i++)
		if (!cond_holds(&f->args[i], v))
			return false;
	const struct sf_syscall_args *roles = sf_syscall_args(v->abi, v->nr);
	if ((f->fd.n || f->fd_types || f->fd_path.n) && !fd_filters_match(f, v, roles))
		return false;
	if (f->process.n && !process_matches(&f->process, v))
		return false;
	if (f->path.n && !path_filter_matches(&f->path, v, roles))
		return false;
	/* Last: an unwind costs more than every other answer together. */
	if (f->caller.n && !caller_matches(&f->caller, v))
		return false;
	return true;
}

static void globs_release(struct sf_globs *g)
{
	for (unsigned i = 0; i < g->n; i++)
		free(g->v[i]);
	free(g->v);
	memset(g, 0, sizeof(*g));
}

void sf_filter_release(struct sf_filter *f)
{
	globs_release(&f->path);
	globs_release(&f->fd_path);
	globs_release(&f->process);
	globs_release(&f->caller);
	free(f->fd.v);
	for (unsigned i = 0; i < f->nargs; i++)
		free(f->args[i].text);
	free(f->args);
	memset(f, 0, sizeof(*f));
}

/* ---- strace's -P and --trace-fds ----------------------------------------- */

static bool is_traced_path(const struct sf_trace_select *s, const char *p)
{
	for (unsigned i = 0; p && i < s->npaths; i++)
		if (strcmp(s->paths[i], p) == 0)
			return true;
	return false;
}

/*
 * As strace's pathtrace: a path argument equal to a traced path as the
 * tracee wrote it (strace compares the string, so "./a" is not "a": a
 * pasted recipe selects the same calls), or an fd argument referring to
 * one; or an fd argument in the --trace-fds set.  The `path` filter is the
 * one that resolves.
 */
bool sf_trace_select_matches(const struct sf_trace_select *s, const struct sf_call_view *v)
{
	const struct sf_syscall_args *roles = sf_syscall_args(v->abi, v->nr);

	for (unsigned i = 0; i < SF_SYSCALL_ARGS_MAX; i++) {
		uint8_t role = roles->role[i];
		if (role == SF_ARG_PATH && s->npaths && is_traced_path(s, v->ops->path(v->ctx, i, false)))
			return true;
		if (!sf_arg_is_fd(role) || sf_arg_fd(v->args[i]) < 0)
			continue;
		if (fd_set_has(&s->fds, sf_arg_fd(v->args[i])))
			return true;
		if (s->npaths && is_traced_path(s, v->ops->fd_path(v->ctx, sf_arg_fd(v->args[i]))))
			return true;
	}
	return false;
}

static int add_traced_path(struct sf_trace_select *s, const char *p)
{
	if (is_traced_path(s, p))
		return 0;
	char **v = realloc(s->paths, (s->npaths + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	s->paths = v;
	if (!(s->paths[s->npaths] = strdup(p)))
		return -ENOMEM;
	s->npaths++;
	return 0;
}

int sf_trace_select_add_path(struct sf_trace_select *s, const char *path, char *why, size_t whylen)
{
	char *real;

	if (*path == '\0')
		return sf_why(why, whylen, "-P needs a path");
	if (strlen(path) >= PATH_MAX)
		return sf_why(why, whylen, "-P path longer than %d bytes", PATH_MAX - 1);
	/* strace keeps the canonical name too, which is what /proc/PID/fd shows. */
	real = realpath(path, NULL);
	int rc = add_traced_path(s, path);
	if (rc == 0 && real)
		rc = add_traced_path(s, real);
	free(real);
	return rc < 0 ? sf_why(why, whylen, "out of memory") : 0;
}

/* All of SET or none of it: a scenario whose --trace-fds was refused selects as before. */
int sf_trace_select_add_fds(struct sf_trace_select *s, const char *set, char *why, size_t whylen)
{
	struct sf_fd_set parsed = { 0 };
	int rc = sf_filter_add_fds(&parsed, set, why, whylen);

	for (unsigned i = 0; rc == 0 && i < parsed.n; i++)
		if (add_range(&s->fds, parsed.v[i].lo, parsed.v[i].hi) < 0)
			rc = sf_why(why, whylen, "out of memory");
	free(parsed.v);
	return rc;
}

bool sf_trace_select_is_set(const struct sf_trace_select *s)
{
	return s->npaths || s->fds.n;
}

void sf_trace_select_release(struct sf_trace_select *s)
{
	for (unsigned i = 0; i < s->npaths; i++)
		free(s->paths[i]);
	free(s->paths);
	free(s->fds.v);
	memset(s, 0, sizeof(*s));
}

/* ---- run --ignore-dir ----------------------------------------------------- */

static bool is_at_or_below(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (!path)
		return false;
	if (n == 1)
		return path[0] == '/';   /* "/" */
	return !strncmp(path, dir, n) && (path[n] == '/' || !path[n]);
}

static bool is_ignored_path(const struct sf_ignored_dirs *d, const char *path)
{
	for (unsigned i = 0; i < d->n; i++)
		if (is_at_or_below(path, d->v[i]))
			return true;
	return false;
}

bool sf_ignored_dirs_match(const struct sf_ignored_dirs *d, const struct sf_call_view *v)
{
	const struct sf_syscall_args *roles = sf_syscall_args(v->abi, v->nr);

	for (unsigned i = 0; i < SF_SYSCALL_ARGS_MAX; i++) {
		uint8_t role = roles->role[i];
		if (role == SF_ARG_PATH && is_ignored_path(d, v->ops->path(v->ctx, i, true)))
			return true;
		if (sf_arg_is_fd(role) && sf_arg_fd(v->args[i]) >= 0 &&
		    is_ignored_path(d, v->ops->fd_path(v->ctx, sf_arg_fd(v->args[i]))))
			return true;
	}
	return false;
}

static int add_ignored(struct sf_ignored_dirs *d, char *dir)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		dir[--n] = 0;   /* "/x/" is "/x": it is compared as a prefix */
	for (unsigned i = 0; i < d->n; i++) {
		if (!strcmp(d->v[i], dir)) {
			free(dir);
			return 0;
		}
	}
	char **v = realloc(d->v, (d->n + 1) * sizeof(*v));
	if (!v) {
		free(dir);
		return -ENOMEM;
	}
	d->v = v;
	d->v[d->n++] = dir;
	return 0;
}

/*
 * As given (made absolute against the cwd: the tracee's paths are resolved
 * without following symlinks) and as realpath() has it (what /proc/PID/fd
 * shows).  DIR need not exist yet.
 */
int sf_ignored_dirs_add(struct sf_ignored_dirs *d, const char *dir, char *why, size_t whylen)
{
	char cwd[PATH_MAX], *abs = NULL;

	if (*dir == '\0')
		return sf_why(why, whylen, "--ignore-dir needs a directory");
	if (strlen(dir) >= PATH_MAX)
		return sf_why(why, whylen, "--ignore-dir path longer than %d bytes", PATH_MAX - 1);
	if (dir[0] == '/')
		abs = strdup(dir);
	else if (getcwd(cwd, sizeof(cwd)) && asprintf(&abs, "%s/%s", cwd, dir) < 0)
		abs = NULL;
	char *real = realpath(dir, NULL);
	int rc = abs ? add_ignored(d, abs) : -ENOMEM;
	if (rc == 0 && real)
		rc = add_ignored(d, real);
	else
		free(real);
	return rc < 0 ? sf_why(why, whylen, "out of memory") : 0;
}

void sf_ignored_dirs_release(struct sf_ignored_dirs *d)
{
	for (unsigned i = 0; i < d->n; i++)
		free(d->v[i]);
	free(d->v);
	memset(d, 0, sizeof(*d));
}

/* ---- Describing ---------------------------------------------------------- */

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, const char *fmt, ...) SF_PRINTF(2, 3);

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->len >= o->size)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

static void put_globs(struct out *o, const char *key, const struct sf_globs *g)
{
	for (unsigned i = 0; i < g->n; i++) {
		if (i)
			put(o, ",%s", g->v[i]);
		else
			put(o, " %s=%s", key, g->v[i]);
	}
}

void sf_filter_describe(const struct sf_filter *f, char *buf, size_t size)
{
	struct out o = { buf, size, 0 };
	char num[48];

	buf[0] = '\0';
	put_globs(&o, "path", &f->path);
	put_globs(&o, "fd_path", &f->fd_path);
	for (unsigned i = 0; i < f->fd.n; i++) {
		const struct sf_fd_range *r = &f->fd.v[i];
		if (r->lo == r->hi)
			snprintf(num, sizeof(num), "%lld", (long long)r->lo);
		else
			snprintf(num, sizeof(num), "%lld..%lld", (long long)r->lo, (long long)r->hi);
		put(&o, "%s%s", i ? "," : " fd=", num);
	}
	for (unsigned t = 0, first = 1; t < SF_FD_TYPE_COUNT; t++) {
		if (!(f->fd_types & (1u << t)))
			continue;
		put(&o, "%s%s", first ? " fd_type=" : ",", fd_type_names[t]);
		first = 0;
	}
	put_globs(&o, "process", &f->process);
	put_globs(&o, "caller", &f->caller);
	for (unsigned i = 0; i < f->nargs; i++)
		put(&o, " args=\"%s\"", f->args[i].text);
}
