/*
 * strace's -e inject= / -e fault= expressions (src/filter_qualify.c) turned
 * into a rule, and the action values shared with scenario files.  Accepts
 * what strace accepts, but for the differences README lists under the -e
 * syntax; every rejection is one line naming the bad piece.
 * Never prints errors itself: the caller knows the origin.
 */
#include "rules/spec.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "rules/duration.h"
#include "rules/suggest.h"
#include "rules/syscall_args.h"
#include "rules/sysset.h"
#include "rules/when.h"

#define ACTIONS_HINT "add error=, retval=, signal=, delay_enter=, delay_exit=, poke_enter=, poke_exit= or short="
/* strace's NSIG_BYTES * 8 on Linux. */
#define MAX_SIGNO 64

/* Decimal 0..MAX from digits only, or -1 (no sign, space or junk). */
static long small_number(const char *s, long max)
{
	long v = 0;

	if (!sf_is_decimal(s))
		return -1;
	for (; *s; s++) {
		v = v * 10 + (*s - '0');
		if (v > max)
			return max + 1;
	}
	return v;
}

/* ---- Action values ------------------------------------------------------ */

#define ERRNO_HINT "give a name such as ENOENT or a number 1..%d"

int sf_spec_parse_errno(const char *text, int *err, char *why, size_t whylen)
{
	const char *hint;

	if (*text == '\0')
		return sf_why(why, whylen, "empty error=; " ERRNO_HINT, SF_MAX_ERRNO);
	if (*text == '-' || *text == '+')
		return sf_why(why, whylen, "bad errno \"%s\"; " ERRNO_HINT, text, SF_MAX_ERRNO);
	if (*text >= '0' && *text <= '9') {
		long n = small_number(text, SF_MAX_ERRNO);
		if (n < 0)
			return sf_why(why, whylen, "bad errno \"%s\"; " ERRNO_HINT, text, SF_MAX_ERRNO);
		if (n < 1 || n > SF_MAX_ERRNO)
			return sf_why(why, whylen, "errno %s is out of range; use 1..%d", text, SF_MAX_ERRNO);
		if (n >= SF_ERRNO_KERNEL_FIRST && n <= SF_ERRNO_KERNEL_LAST)
			return sf_why(why, whylen, "errno %s is kernel-internal (%d..%d, ERESTARTSYS...), "
				      "never returned to a program; use 1..%d or %d..%d", text,
				      SF_ERRNO_KERNEL_FIRST, SF_ERRNO_KERNEL_LAST, SF_ERRNO_KERNEL_FIRST - 1,
				      SF_ERRNO_KERNEL_LAST + 1, SF_MAX_ERRNO);
		*err = (int)n;
		return 0;
	}
	int n = sf_errno_number(text);
	if (n > 0 && n <= SF_MAX_ERRNO) {
		*err = n;
		return 0;
	}
	hint = sf_suggest_errno(text);
	if (hint)
		return sf_why(why, whylen, "unknown errno \"%s\"; did you mean \"%s\"?", text, hint);
	return sf_why(why, whylen, "unknown errno \"%s\"; see 'sysfault list errnos'", text);
}

/* strace warns too: a value the kernel ABI reads as -1..-SF_MAX_ERRNO looks like a failure. */
static void warn_if_errno_like(uint64_t val)
{
	int64_t sval = (int64_t)val;

	if (sval < 0 && sval >= -SF_MAX_ERRNO) {
		const char *name = sf_errno_name((int)-sval);
		if (name)
			sf_warning("retval=%llu may be seen as error %s",
				   (unsigned long long)val, name);
		else
			sf_warning("retval=%llu may be seen as error %d",
				   (unsigned long long)val, (int)-sval);
	}
}

int sf_spec_parse_retval(const char *text, uint64_t *val, char *why, size_t whylen)
{
	char *end;

	if (*text == '\0')
		return sf_why(why, whylen, "empty retval=; give a number such as 0 or 0x10");
	/* strtoull would wrap "-1" to 2^64-1; strace's syntax test rejects it. */
	if (*text == '-')
		return sf_why(why, whylen, "retval=%s is negative; to make the call fail use error=", text);
	if (*text < '0' || *text > '9')
		return sf_why(why, whylen, "bad retval \"%s\"; give a number such as 0 or 0x10", text);
	errno = 0;
	unsigned long long v = strtoull(text, &end, 0);
	if (*end != '\0')
		return sf_why(why, whylen, "bad retval \"%s\"; give a number such as 0 or 0x10", text);
	if (errno == ERANGE)
		return sf_why(why, whylen, "retval %s does not fit in 64 bits", text);
	warn_if_errno_like(v);
	*val = v;
	return 0;
}

int sf_spec_parse_signal(const char *text, int *signo, char *why, size_t whylen)
{
	const char *hint;

	if (*text == '\0')
		return sf_why(why, whylen, "empty signal=; give a name such as SIGUSR1 or a number 1..64");
	if (*text == '-' || *text == '+')
		return sf_why(why, whylen, "bad signal \"%s\"; give a name such as SIGUSR1 or a number 1..64", text);
	if (*text >= '0' && *text <= '9') {
		long n = small_number(text, MAX_SIGNO);
		if (n < 0)
			return sf_why(why, whylen, "bad signal \"%s\"; give a name such as SIGUSR1 or a number 1..64", text);
		if (n < 1 || n > MAX_SIGNO)
			return sf_why(why, whylen, "signal %s is out of range; use 1..64", text);
		*signo = (int)n;
		return 0;
	}
	int n = sf_signal_number(text);
	if (n >= 1 && n <= MAX_SIGNO) {
		*signo = n;
		return 0;
	}
	hint = sf_suggest_signal(text);
	if (hint)
		return sf_why(why, whylen, "unknown signal \"%s\"; did you mean \"%s\"?", text, hint);
	return sf_why(why, whylen, "unknown signal \"%s\"; see 'sysfault list signals'", text);
}

int sf_spec_parse_delay(const char *text, uint64_t *ns, char *why, size_t whylen)
{
	return sf_duration_parse(text, SF_UNIT_US, ns, why, whylen);
}

int sf_spec_parse_substitute(const char *text, struct sf_action *act, char *why, size_t whylen)
{
	int nr[SF_ABI_COUNT];
	bool exists = false;
	const char *hint;

	if (*text == '\0')
		return sf_why(why, whylen, "empty syscall=; name a %%pure syscall such as getpid");
	for (int abi = 0; abi < SF_ABI_COUNT; abi++) {
		nr[abi] = sf_syscall_number(abi, text);
		if (nr[abi] < 0)
			continue;
		exists = true;
		/* As strace: only calls without side effects may stand in for another. */
		if (!sf_syscall_has_class(abi, (unsigned)nr[abi], sf_class_pure()))
			return sf_why(why, whylen, "syscall=%s must be a %%pure syscall such as getpid", text);
	}
	if (!exists) {
		hint = sf_suggest_syscall(text);
		if (hint)
			return sf_why(why, whylen, "unknown syscall \"%s\"; did you mean \"%s\"?", text, hint);
		return sf_why(why, whylen, "unknown syscall \"%s\"; syscall= takes a %%pure syscall such as getpid", text);
	}
	for (int abi = 0; abi < SF_ABI_COUNT; abi++)
		act->substitute_nr[abi] = nr[abi];
	act->flags |= SF_ACT_SYSCALL;
	return 0;
}

int sf_spec_parse_call(const char *text, enum sf_call_mode *mode, char *why, size_t whylen)
{
	static const char *const modes[] = { "run", "skip", NULL };

	if (strcmp(text, "run") == 0 || strcmp(text, "skip") == 0) {
		*mode = text[0] == 'r' ? SF_CALL_RUN : SF_CALL_SKIP;
		return 0;
	}
	const char *hint = sf_suggest_word(text, modes);
	if (hint)
		return sf_why(why, whylen, "unknown call mode \"%s\"; did you mean \"%s\"?", text, hint);
	return sf_why(why, whylen, "unknown call mode \"%s\"; use run (the call runs, then its result "
		      "is replaced) or skip (it never runs)", text);
}

int sf_spec_parse_short(const char *text, struct sf_short *sh, char *why, size_t whylen)
{
	char *end;
	size_t len = strlen(text);

	*sh = (struct sf_short){ 0 };
	if (len == 0)
		return sf_why(why, whylen, "empty short=; give bytes such as 100, a fraction such as 0.5 or a percentage such as 10%%");
	if (text[len - 1] == '%') {
		char num[8];
		if (len > sizeof(num))
			return sf_why(why, whylen, "short=%s: a percentage is 1%%..99%%", text);
		memcpy(num, text, len - 1);
		num[len - 1] = '\0';
		long p = small_number(num, 100);
		if (p < 1 || p > 99)
			return sf_why(why, whylen, "short=%s: a percentage is 1%%..99%%", text);
		sh->fraction = (double)p / 100.0;
		return 0;
	}
	if (strchr(text, '.')) {
		errno = 0;
		double f = strtod(text, &end);
		if (*end || errno || !(f > 0.0 && f < 1.0))
			return sf_why(why, whylen, "short=%s: a fraction is between 0 and 1, e.g. 0.5", text);
		sh->fraction = f;
		return 0;
	}
	if (!sf_is_decimal(text))
		return sf_why(why, whylen, "bad short=%s; give bytes such as 100, a fraction such as 0.5 or a percentage such as 10%%", text);
	errno = 0;
	unsigned long long n = strtoull(text, &end, 10);
	if (errno || n == 0)
		return sf_why(why, whylen, "short=%s: the bytes let through are 1 or more (0 would be end of file)", text);
	sh->bytes = n;
	return 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#define POKE_HINT "write @argN=HEX, e.g. @arg2=0000DEAD (N from 1 to 6)"

/* One "@argN=HEX" of LEN bytes at S. */
static int parse_poke(const char *s, size_t len, struct sf_poke *p, char *why, size_t whylen)
{
	if (len < 7 || strncmp(s, "@arg", 4) != 0 || s[4] < '1' || s[4] > '6' || s[5] != '=')
		return sf_why(why, whylen, "bad poke \"%.*s\"; " POKE_HINT, (int)len, s);
	size_t hex = len - 6;
	if (hex % 2)
		return sf_why(why, whylen, "poke data \"%.*s\" has an odd number of hex digits; each byte is two",
			      (int)hex, s + 6);
	if (hex / 2 > SF_POKE_MAX)
		return sf_why(why, whylen, "poke data longer than %d bytes", SF_POKE_MAX);
	p->arg = (unsigned)(s[4] - '1');
	p->len = hex / 2;
	p->bytes = malloc(p->len);
	if (!p->bytes)
		return sf_why(why, whylen, "out of memory");
	for (size_t i = 0; i < p->len; i++) {
		int hi = hex_digit(s[6 + 2 * i]), lo = hex_digit(s[7 + 2 * i]);
		if (hi < 0 || lo < 0) {
			free(p->bytes);
			return sf_why(why, whylen, "poke data \"%.*s\" is not hexadecimal; " POKE_HINT,
				      (int)hex, s + 6);
		}
		p->bytes[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

int sf_spec_parse_pokes(const char *text, struct sf_pokes *pokes, char *why, size_t whylen)
{
	const char *s = text;

	if (*s == '\0')
		return sf_why(why, whylen, "empty poke; " POKE_HINT);
	for (;;) {
		size_t len = strcspn(s, ",");
		struct sf_poke *v = realloc(pokes->v, (pokes->n + 1) * sizeof(*v));
		if (!v)
			return sf_why(why, whylen, "out of memory");
		pokes->v = v;
		if (parse_poke(s, len, &pokes->v[pokes->n], why, whylen) < 0)
			return -1;
		for (unsigned i = 0; i < pokes->n; i++) {
			if (pokes->v[i].arg == pokes->v[pokes->n].arg) {
				free(pokes->v[pokes->n].bytes);
				return sf_why(why, whylen, "@arg%u poked twice; keep one",
					      pokes->v[i].arg + 1);
			}
		}
		pokes->n++;
		if (s[len] == '\0')
			return 0;
		s += len + 1;
	}
}

int sf_spec_parse_filter(struct sf_rule *rule, const char *key, const char *text,
			 char *why, size_t whylen)
{
	struct sf_filter *f = &rule->filter;

	if (strcmp(key, "path") == 0)
		return sf_filter_add_glob(&f->path, key, text, why, whylen);
	if (strcmp(key, "fd_path") == 0)
		return sf_filter_add_glob(&f->fd_path, key, text, why, whylen);
	if (strcmp(key, "process") == 0)
		return sf_filter_add_glob(&f->process, key, text, why, whylen);
	if (strcmp(key, "caller") == 0)
		return sf_filter_add_caller(f, text, why, whylen);
	if (strcmp(key, "fd") == 0)
		return sf_filter_add_fds(&f->fd, text, why, whylen);
	if (strcmp(key, "args") == 0)
		return sf_filter_add_arg_cond(f, text, why, whylen);
	if (strcmp(key, "fd_type") != 0)
		return 1;
	/* A list, as "pipe,socket". */
	for (const char *p = text;;) {
		char name[32];
		size_t len = strcspn(p, ",");
		snprintf(name, sizeof(name), "%.*s", (int)(len < sizeof(name) ? len : sizeof(name) - 1), p);
		if (sf_filter_add_fd_type(f, name, why, whylen) < 0)
			return -1;
		if (p[len] == '\0')
			return 0;
		p += len + 1;
	}
}

/* Whether some call of SET has the count argument short= changes. */
static bool set_transfers(const struct sf_sysset *set)
{
	for (unsigned abi = 0; abi < SF_ABI_COUNT; abi++)
		for (unsigned nr = 0; nr < SF_NR_LIMIT; nr++)
			if (sf_sysset_has(set, (enum sf_abi)abi, nr) &&
			    sf_short_applies((enum sf_abi)abi, nr))
				return true;
	return false;
}

/* Whether some call of SET takes argument ARG (0-based), or takes an unknown number. */
static bool set_takes_arg(const struct sf_sysset *set, unsigned arg)
{
	for (unsigned abi = 0; abi < SF_ABI_COUNT; abi++) {
		for (unsigned nr = 0; nr < SF_NR_LIMIT; nr++) {
			if (!sf_sysset_has(set, (enum sf_abi)abi, nr))
				continue;
			unsigned count = sf_syscall_args((enum sf_abi)abi, nr)->count;
			if (count == 0 || arg < count)
				return true;
		}
	}
	return false;
}

static int check_pokes(const struct sf_pokes *p, const char *key, const struct sf_sysset *set,
		       char *why, size_t whylen)
{
	for (unsigned i = 0; i < p->n; i++)
		if (!set_takes_arg(set, p->v[i].arg))
			return sf_why(why, whylen, "%s=@arg%u: none of the rule's syscalls takes %u arguments",
				      key, p->v[i].arg + 1, p->v[i].arg + 1);
	return 0;
}

int sf_spec_check_rule(const struct sf_rule *rule, char *why, size_t whylen)
{
	const struct sf_action *a = &rule->action;

	if (sf_filter_check(&rule->filter, &rule->set, why, whylen) < 0)
		return -1;
	if (check_pokes(&a->poke_enter, "poke_enter", &rule->set, why, whylen) < 0 ||
	    check_pokes(&a->poke_exit, "poke_exit", &rule->set, why, whylen) < 0)
		return -1;
	if (!(a->flags & SF_ACT_SHORT))
		return 0;
	if (a->flags & (SF_ACT_ERROR | SF_ACT_RETVAL))
		return sf_why(why, whylen, "short= with %s=; a short transfer runs the call, keep one",
			      (a->flags & SF_ACT_ERROR) ? "error" : "retval");
	if (!set_transfers(&rule->set))
		return sf_why(why, whylen, "short= needs a call that moves bytes: read, write, pread64, "
			      "pwrite64, readv, writev, preadv, pwritev, sendto or recvfrom");
	return 0;
}

/*
 * Calls that run first unless the rule says call=skip.  close(2), "Dealing
 * with error returns from close()": Linux releases the descriptor before
 * anything that can fail, so a close reporting EIO or EINTR has closed it
 * all the same.  A skipped close "failing" keeps open what no real failure
 * does: a pipe's write end left open and its reader never sees EOF.
 * close_range(2) is not here: it ignores errors closing each descriptor,
 * and its own (EINVAL, EMFILE, ENOMEM) come before it closes anything, so
 * a skipped close_range is what its real failures look like.
 */
static const char *const runs_by_default[] = { "close", NULL };

void sf_spec_settle_call(struct sf_rule *rule)
{
	struct sf_action *a = &rule->action;

	memset(&a->runs_first, 0, sizeof(a->runs_first));
	/* A substitute already says what runs instead; signal= and delays never skip. */
	if (!(a->flags & (SF_ACT_ERROR | SF_ACT_RETVAL)) || (a->flags & SF_ACT_SYSCALL) ||
	    a->call == SF_CALL_SKIP)
		return;
	if (a->call == SF_CALL_RUN) {
		a->runs_first = rule->set;
		return;
	}
	for (int abi = 0; abi < SF_ABI_COUNT; abi++) {
		for (int i = 0; runs_by_default[i]; i++) {
			int nr = sf_syscall_number(abi, runs_by_default[i]);
			if (nr >= 0 && sf_sysset_has(&rule->set, abi, (unsigned)nr))
				sf_sysset_add(&a->runs_first, abi, (unsigned)nr);
		}
	}
}

/* ---- Tokens ------------------------------------------------------------- */

struct spec_state {
	struct sf_rule *rule;
	bool is_fault;      /* fault=: only error= and when= */
	bool has_when;
	bool has_call;
};

static const char *const token_keys[] = {
	"when", "error", "retval", "signal", "syscall", "delay_enter", "delay_exit",
	"call", "poke_enter", "poke_exit", "short", "path", "fd_path", "fd", "fd_type",
	"process", "caller", "args", NULL,
};

static int token_twice(const char *key, char *why, size_t whylen)
{
	return sf_why(why, whylen, "%s= given twice; keep one", key);
}

static int parse_error_token(struct spec_state *st, const char *val, char *why, size_t whylen)
{
	struct sf_action *a = &st->rule->action;

	if (a->flags & SF_ACT_ERROR)
		return token_twice("error", why, whylen);
	if (a->flags & SF_ACT_RETVAL)
		return sf_why(why, whylen, "error= and retval= together; a call either fails or returns a value");
	if (sf_spec_parse_errno(val, &a->error, why, whylen) < 0)
		return -1;
	a->flags |= SF_ACT_ERROR;
	return 0;
}

static int parse_retval_token(struct spec_state *st, const char *val, char *why, size_t whylen)
{
	struct sf_action *a = &st->rule->action;

	if (a->flags & SF_ACT_RETVAL)
		return token_twice("retval", why, whylen);
	if (a->flags & SF_ACT_ERROR)
		return sf_why(why, whylen, "error= and retval= together; a call either fails or returns a value");
	if (sf_spec_parse_retval(val, &a->retval, why, whylen) < 0)
		return -1;
	a->flags |= SF_ACT_RETVAL;
	return 0;
}

static int parse_signal_token(struct spec_state *st, const char *val, char *why, size_t whylen)
{
	struct sf_action *a = &st->rule->action;

	if (a->flags & SF_ACT_SIGNAL)
		return token_twice("signal", why, whylen);
	if (sf_spec_parse_signal(val, &a->signo, why, whylen) < 0)
		return -1;
	a->flags |= SF_ACT_SIGNAL;
	return 0;
}

static int parse_delay_token(struct spec_state *st, const char *key, const char *val,
			     char *why, size_t whylen)
{
	struct sf_action *a = &st->rule->action;
	bool is_enter = strcmp(key, "delay_enter") == 0;
	unsigned flag = is_enter ? SF_ACT_DELAY_ENTER : SF_ACT_DELAY_EXIT;

	if (a->flags & flag)
		return token_twice(key, why, whylen);
	if (sf_spec_parse_delay(val, is_enter ? &a->delay_enter_ns : &a->delay_exit_ns,
				why, whylen) < 0)
		return -1;
	a->flags |= flag;
	return 0;
}

static int parse_when_token(struct spec_state *st, const char *val, char *why, size_t whylen)
{
	if (st->has_when)
		return token_twice("when", why, whylen);
	st->has_when = true;
	return sf_when_parse(val, &st->rule->when, why, whylen);
}

static int parse_syscall_token(struct spec_state *st, const char *val, char *why, size_t whylen)
{
	if (st->rule->action.flags & SF_ACT_SYSCALL)
		return token_twice("syscall", why, whylen);
	return sf_spec_parse_substitute(val, &st->rule->action, why, whylen);
}

static int parse_call_token(struct spec_state *st, const char *val, char *why, size_t whylen)
{
	if (st->has_call)
		return token_twice("call", why, whylen);
	st->has_call = true;
	return sf_spec_parse_call(val, &st->rule->action.call, why, whylen);
}

static int parse_poke_token(struct spec_state *st, const char *key, const char *val,
			    char *why, size_t whylen)
{
	struct sf_action *a = &st->rule->action;
	bool is_enter = strcmp(key, "poke_enter") == 0;
	unsigned flag = is_enter ? SF_ACT_POKE_ENTER : SF_ACT_POKE_EXIT;

	if (a->flags & flag)
		return token_twice(key, why, whylen);
	a->flags |= flag;
	return sf_spec_parse_pokes(val, is_enter ? &a->poke_enter : &a->poke_exit, why, whylen);
}

static int parse_short_token(struct spec_state *st, const char *val, char *why, size_t whylen)
{
	struct sf_action *a = &st->rule->action;

	if (a->flags & SF_ACT_SHORT)
		return token_twice("short", why, whylen);
	a->flags |= SF_ACT_SHORT;
	return sf_spec_parse_short(val, &a->shorten, why, whylen);
}

static int unknown_token(const char *token, char *why, size_t whylen)
{
	const char *eq = strchr(token, '=');

	if (!eq)
		return sf_why(why, whylen, "unexpected \"%s\" after the syscall set; tokens are key=value, "
			    "e.g. error=ENOENT (separate syscalls with ',')", token);
	char key[64];
	snprintf(key, sizeof(key), "%.*s", (int)(eq - token), token);
	const char *hint = sf_suggest_word(key, token_keys);
	if (hint)
		return sf_why(why, whylen, "unknown token \"%s=\"; did you mean \"%s=\"?", key, hint);
	return sf_why(why, whylen, "unknown token \"%s=\"; use when=, error=, retval=, signal=, "
		    "syscall=, delay_enter=, delay_exit=, poke_enter=, poke_exit=, call=, short=, "
		    "or a filter: path=, fd_path=, fd=, fd_type=, process=, caller=, args=", key);
}

static int parse_token(struct spec_state *st, const char *token, char *why, size_t whylen)
{
	const char *eq = strchr(token, '=');
	size_t klen = eq ? (size_t)(eq - token) : 0;
	char key[16];

	if (!eq || klen >= sizeof(key))
		return unknown_token(token, why, whylen);
	memcpy(key, token, klen);
	key[klen] = '\0';
	const char *val = eq + 1;

	if (strcmp(key, "when") == 0)
		return parse_when_token(st, val, why, whylen);
	if (strcmp(key, "error") == 0)
		return parse_error_token(st, val, why, whylen);
	int rc = sf_spec_parse_filter(st->rule, key, val, why, whylen);
	if (rc <= 0)
		return rc;
	bool is_inject_only = strcmp(key, "retval") == 0 || strcmp(key, "signal") == 0 ||
		strcmp(key, "syscall") == 0 || strcmp(key, "delay_enter") == 0 ||
		strcmp(key, "delay_exit") == 0 || strcmp(key, "call") == 0 ||
		strcmp(key, "poke_enter") == 0 || strcmp(key, "poke_exit") == 0 ||
		strcmp(key, "short") == 0;
	if (is_inject_only && st->is_fault)
		return sf_why(why, whylen, "fault= takes only error= and when=; use inject= for %s=", key);
	if (strcmp(key, "poke_enter") == 0 || strcmp(key, "poke_exit") == 0)
		return parse_poke_token(st, key, val, why, whylen);
	if (strcmp(key, "short") == 0)
		return parse_short_token(st, val, why, whylen);
	if (strcmp(key, "retval") == 0)
		return parse_retval_token(st, val, why, whylen);
	if (strcmp(key, "signal") == 0)
		return parse_signal_token(st, val, why, whylen);
	if (strcmp(key, "syscall") == 0)
		return parse_syscall_token(st, val, why, whylen);
	if (strcmp(key, "call") == 0)
		return parse_call_token(st, val, why, whylen);
	if (is_inject_only)
		return parse_delay_token(st, key, val, why, whylen);
	return unknown_token(token, why, whylen);
}

/* ---- Whole expression --------------------------------------------------- */

/* Strips "inject=" / "fault=", refusing strace's other -e qualifiers. */
static const char *spec_body(const char *spec, bool *is_fault, char *why, size_t whylen)
{
	size_t set_len = strcspn(spec, ":");
	const char *eq = memchr(spec, '=', set_len);

	*is_fault = false;
	if (strncmp(spec, "inject=", 7) == 0)
		return spec + 7;
	if (strncmp(spec, "fault=", 6) == 0) {
		*is_fault = true;
		return spec + 6;
	}
	/* Syscall names never hold '='; a regex may, so leave "/..." alone. */
	if (eq && spec[0] != '/' && spec[0] != '!' && spec[0] != '?') {
		sf_why(why, whylen, "unknown qualifier \"%.*s=\"; sysfault takes inject= or fault=",
		     (int)(eq - spec), spec);
		return NULL;
	}
	return spec;
}

static int parse_tokens(struct spec_state *st, const char *p, char *why, size_t whylen)
{
	while (*p) {
		size_t len = strcspn(p, ":");
		/* strace skips empty tokens ("write:error=EIO:", "a::b"): so does a pasted recipe. */
		if (len == 0) {
			p++;
			continue;
		}
		char *token = strndup(p, len);
		if (!token)
			return sf_why(why, whylen, "out of memory");
		int rc = parse_token(st, token, why, whylen);
		free(token);
		if (rc < 0)
			return -1;
		p += len;
		if (*p == ':')
			p++;
	}
	return 0;
}

static int parse_expression(struct spec_state *st, const char *body, char *why, size_t whylen)
{
	size_t set_len = strcspn(body, ":");

	if (set_len == 0)
		return sf_why(why, whylen, "no syscall set; start with one, e.g. inject=openat:error=ENOENT");
	char *set = strndup(body, set_len);
	if (!set)
		return sf_why(why, whylen, "out of memory");
	int rc = sf_sysset_parse(&st->rule->set, set, why, whylen);
	free(set);
	if (rc < 0)
		return -1;
	if (body[set_len] == '\0')
		return 0;
	return parse_tokens(st, body + set_len + 1, why, whylen);
}

/* call= says how a result is given, so it needs one, and a substitute says it otherwise. */
static int check_call(const struct sf_action *a, char *why, size_t whylen)
{
	if (!(a->flags & (SF_ACT_ERROR | SF_ACT_RETVAL)))
		return sf_why(why, whylen, "call= needs error= or retval=; with only signal= or delays "
			      "the call runs anyway");
	if (a->flags & SF_ACT_SYSCALL)
		return sf_why(why, whylen, "call= and syscall= together; syscall= already runs another "
			      "call instead, keep one");
	return 0;
}

struct sf_rule *sf_spec_parse(const char *spec, char *why, size_t whylen)
{
	struct spec_state st = { 0 };
	const char *body = spec_body(spec, &st.is_fault, why, whylen);

	if (!body)
		return NULL;
	st.rule = sf_rule_new();
	if (!st.rule) {
		sf_why(why, whylen, "out of memory");
		return NULL;
	}
	if (parse_expression(&st, body, why, whylen) < 0)
		goto bad;
	if (!(st.rule->action.flags & ~SF_ACT_SYSCALL)) {
		/* strace: fault= defaults to ENOSYS, inject= needs an action. */
		if (!st.is_fault) {
			sf_why(why, whylen, "no action; %s", ACTIONS_HINT);
			goto bad;
		}
		st.rule->action.error = ENOSYS;
		st.rule->action.flags |= SF_ACT_ERROR;
	}
	if (st.has_call && check_call(&st.rule->action, why, whylen) < 0)
		goto bad;
	if (sf_spec_check_rule(st.rule, why, whylen) < 0)
		goto bad;
	sf_spec_settle_call(st.rule);
	return st.rule;
bad:
	sf_rule_free(st.rule);
	return NULL;
}
