/*
 * Name tables: syscall names per ABI asked of libseccomp, strace's classes
 * from the generated classes.c, errno and signal names asked of glibc, and
 * "did you mean" suggestions over all of them.  No name is typed here.
 */
#include "rules/names.h"

#include "rules/classes.h"
#include "rules/suggest.h"

#include <linux/audit.h>
#include <pthread.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- ABIs ------------------------------------------------------------- */

struct abi_desc {
	const char *name;
	const char *designator;
	uint32_t scmp_arch;
	unsigned nr_bias;        /* added to our numbers when asking libseccomp */
};

static const struct abi_desc abis[SF_ABI_COUNT] = {
	[SF_ABI_X86_64] = { "x86_64", "64", SCMP_ARCH_X86_64, 0 },
	[SF_ABI_I386] = { "i386", "32", SCMP_ARCH_X86, 0 },
	/* libseccomp numbers x32 calls with __X32_SYSCALL_BIT set, as the kernel sees them. */
	[SF_ABI_X32] = { "x32", "x32", SCMP_ARCH_X32, SF_X32_SYSCALL_BIT },
};

static bool is_valid_abi(enum sf_abi abi)
{
	return (unsigned)abi < SF_ABI_COUNT;
}

const char *sf_abi_name(enum sf_abi abi)
{
	return is_valid_abi(abi) ? abis[abi].name : NULL;
}

const char *sf_abi_designator(enum sf_abi abi)
{
	return is_valid_abi(abi) ? abis[abi].designator : NULL;
}

int sf_abi_from_arch(uint32_t audit_arch, uint64_t raw_nr)
{
	/* x32 shares AUDIT_ARCH_X86_64; the kernel tells it apart by this bit only. */
	if (audit_arch == AUDIT_ARCH_X86_64)
		return (raw_nr & SF_X32_SYSCALL_BIT) ? SF_ABI_X32 : SF_ABI_X86_64;
	if (audit_arch == AUDIT_ARCH_I386)
		return SF_ABI_I386;
	return -1;
}

/* ---- Syscalls --------------------------------------------------------- */

/*
 * seccomp_syscall_resolve_num_arch() returns a fresh malloc'd string and
 * searches its table linearly: naming all 3 x 1024 numbers up front costs
 * more than the rest of sysfault's start-up.  So each (ABI, number) is
 * asked once, when first needed, and kept for the life of the process:
 * callers may hold the pointers forever.
 */
static const char *syscall_names[SF_ABI_COUNT][SF_NR_LIMIT];
static uint8_t is_resolved[SF_ABI_COUNT][SF_NR_LIMIT / 8];

const char *sf_syscall_name(enum sf_abi abi, unsigned nr)
{
	if (!is_valid_abi(abi) || nr >= SF_NR_LIMIT)
		return NULL;
	uint8_t bit = (uint8_t)(1u << (nr % 8));
	if (!(is_resolved[abi][nr / 8] & bit)) {
		syscall_names[abi][nr] = seccomp_syscall_resolve_num_arch(
			abis[abi].scmp_arch, (int)(nr + abis[abi].nr_bias));
		is_resolved[abi][nr / 8] |= bit;
	}
	return syscall_names[abi][nr];
}

/*
 * Every named number of one ABI, sorted by name (names are unique within an
 * ABI).  Built the first time libseccomp's answer is not enough, which
 * names every number of that ABI anyway; from then on a lookup is a binary
 * search instead of libseccomp's linear pass, which matters to callers
 * that look up many names (a fuzzer, a long scenario, "did you mean").
 */
struct name_nr {
	const char *name;
	unsigned nr;
};
static struct name_nr by_name[SF_ABI_COUNT][SF_NR_LIMIT];
static unsigned by_name_count[SF_ABI_COUNT];
static bool is_indexed[SF_ABI_COUNT];

static int compare_name_nr(const void *a, const void *b)
{
	return strcmp(((const struct name_nr *)a)->name, ((const struct name_nr *)b)->name);
}

static void index_names(enum sf_abi abi)
{
	unsigned n = 0;

	for (unsigned nr = 0; nr < SF_NR_LIMIT; nr++) {
		const char *name = sf_syscall_name(abi, nr);
		if (name)
			by_name[abi][n++] = (struct name_nr){ name, nr };
	}
	qsort(by_name[abi], n, sizeof(by_name[abi][0]), compare_name_nr);
	by_name_count[abi] = n;
	is_indexed[abi] = true;
}

static int indexed_number(enum sf_abi abi, const char *name)
{
	struct name_nr key = { name, 0 };
	const struct name_nr *found = bsearch(&key, by_name[abi], by_name_count[abi],
					      sizeof(key), compare_name_nr);
	return found ? (int)found->nr : -1;
}

/*
 * libseccomp's name search is one linear pass, but it answers negative
 * pseudo-numbers (__PNR_*) for some names an ABI does have: i386's socket
 * calls, which it maps to socketcall.  So its answer is checked against
 * the number's own name, and only when that fails is every number of the
 * ABI named (once: the names are kept) and indexed.  A normal run asks for
 * a few names libseccomp knows, and never pays for naming the rest.
 */
int sf_syscall_number(enum sf_abi abi, const char *name)
{
	if (!is_valid_abi(abi) || !name)
		return -1;
	if (is_indexed[abi])
		return indexed_number(abi, name);
	int raw = seccomp_syscall_resolve_name_arch(abis[abi].scmp_arch, name);
	if (raw >= 0 && (unsigned)raw >= abis[abi].nr_bias) {
		unsigned nr = (unsigned)raw - abis[abi].nr_bias;
		const char *known = sf_syscall_name(abi, nr);
		if (known && strcmp(known, name) == 0)
			return (int)nr;
	}
	index_names(abi);
	return indexed_number(abi, name);
}

/* ---- Classes ---------------------------------------------------------- */

bool sf_class_lookup(const char *name, unsigned *mask)
{
	if (!name)
		return false;
	for (unsigned i = 0; i < sf_class_name_count; i++)
		if (strcmp(sf_class_names[i].name, name) == 0) {
			if (mask)
				*mask = sf_class_names[i].mask;
			return true;
		}
	return false;
}

static int compare_member(const void *key, const void *elem)
{
	return strcmp(key, ((const struct sf_class_member *)elem)->name);
}

/* Classes of syscall NAME; 0 when classes.in does not list it. */
static unsigned class_mask_of(const char *name)
{
	const struct sf_class_member *m = bsearch(name, sf_class_members,
		sf_class_member_count, sizeof *m, compare_member);
	return m ? m->mask : 0;
}

/*
 * The classes of each (ABI, number), looked up by name the first time it
 * is asked: a class token such as %file asks about every number of every
 * ABI, and searching classes.in's members 3 x 1024 times per token cost
 * more than the rest of parsing the rule.
 */
static unsigned class_masks[SF_ABI_COUNT][SF_NR_LIMIT];
static uint8_t has_class_mask[SF_ABI_COUNT][SF_NR_LIMIT / 8];

bool sf_syscall_has_class(enum sf_abi abi, unsigned nr, unsigned mask)
{
	/* "all" (mask 0) covers numbers no table names as well. */
	if (mask == 0)
		return true;
	if (!is_valid_abi(abi) || nr >= SF_NR_LIMIT)
		return false;
	uint8_t bit = (uint8_t)(1u << (nr % 8));
	if (!(has_class_mask[abi][nr / 8] & bit)) {
		const char *name = sf_syscall_name(abi, nr);
		class_masks[abi][nr] = name ? class_mask_of(name) : 0;
		has_class_mask[abi][nr / 8] |= bit;
	}
	/* A number without a name has no class: its mask is 0, never a superset of MASK. */
	return (class_masks[abi][nr] & mask) == mask;
}

unsigned sf_class_pure(void)
{
	unsigned mask = 0;

	sf_class_lookup("%pure", &mask);
	return mask;
}

/* ---- errno ------------------------------------------------------------ */

const char *sf_errno_name(int err)
{
	if (err < 1 || err > SF_MAX_ERRNO)
		return NULL;
	return strerrorname_np(err);
}

int sf_errno_number(const char *name)
{
	if (!name)
		return -1;
	for (int err = 1; err <= SF_MAX_ERRNO; err++) {
		const char *known = strerrorname_np(err);
		if (known && strcasecmp(known, name) == 0)
			return err;
	}
	return -1;
}

/* ---- Signals ---------------------------------------------------------- */

/*
 * Signals from 1 up to SIGRTMIN have glibc abbreviations; SIGRTMIN is a
 * function call because glibc keeps the first kernel real-time signals
 * (32, 33) for NPTL, and those two get no name here.
 */
static bool is_classic_signal(int signo)
{
	return signo >= 1 && signo < SIGRTMIN && sigabbrev_np(signo);
}

static bool is_rt_signal(int signo)
{
	return signo >= SIGRTMIN && signo <= SIGRTMAX;
}

/* Skips a "SIG" prefix in any case. */
static const char *strip_sig(const char *name)
{
	return strncasecmp(name, "SIG", 3) == 0 ? name + 3 : name;
}

/*
 * "RTMIN", "RTMIN+N", "RTMAX", "RTMAX-N" (already without "SIG") -> number,
 * or -1.  N is decimal and must stay inside SIGRTMIN..SIGRTMAX.
 */
static int parse_rt_signal(const char *s)
{
	int base, sign;

	if (strncasecmp(s, "RTMIN", 5) == 0) {
		base = SIGRTMIN;
		sign = 1;
	} else if (strncasecmp(s, "RTMAX", 5) == 0) {
		base = SIGRTMAX;
		sign = -1;
	} else {
		return -1;
	}
	s += 5;
	if (*s == '\0')
		return base;
	if (*s != (sign > 0 ? '+' : '-') || s[1] < '0' || s[1] > '9')
		return -1;
	char *end;
	long n = strtol(s + 1, &end, 10);
	if (*end != '\0' || n > SIGRTMAX - SIGRTMIN)
		return -1;
	return base + sign * (int)n;
}

/*
 * glibc gives one abbreviation per number; these are the other spellings
 * <signal.h> defines, with the values it gives them.
 */
static const struct { const char *abbrev; int signo; } signal_aliases[] = {
	{ "IO", SIGIO }, { "IOT", SIGIOT }, { "CLD", SIGCHLD },
};

static int parse_classic_signal(const char *s)
{
	for (int signo = 1; signo < SIGRTMIN; signo++)
		if (is_classic_signal(signo) && strcasecmp(sigabbrev_np(signo), s) == 0)
			return signo;
	for (size_t i = 0; i < sizeof signal_aliases / sizeof signal_aliases[0]; i++)
		if (strcasecmp(signal_aliases[i].abbrev, s) == 0)
			return signal_aliases[i].signo;
	return -1;
}

int sf_signal_number(const char *name)
{
	if (!name)
		return -1;
	const char *s = strip_sig(name);
	int signo = parse_rt_signal(s);
	return signo > 0 ? signo : parse_classic_signal(s);
}

const char *sf_signal_name(int signo, char *buf, unsigned size)
{
	int n;

	if (!buf || size == 0)
		return NULL;
	if (is_classic_signal(signo))
		n = snprintf(buf, size, "SIG%s", sigabbrev_np(signo));
	else if (signo == SIGRTMAX)
		n = snprintf(buf, size, "SIGRTMAX");
	else if (signo == SIGRTMIN)
		n = snprintf(buf, size, "SIGRTMIN");
	else if (is_rt_signal(signo))
		n = snprintf(buf, size, "SIGRTMIN+%d", signo - SIGRTMIN);
	else
		return NULL;
	return n >= 0 && (unsigned)n < size ? buf : NULL;
}

/* ---- Suggestions ------------------------------------------------------ */

/* The rule itself is suggest.c's; here are only the candidates, in order. */

/*
 * Each syscall name once, x86_64's first (by number), then the names only
 * i386 or x32 have: most names are on every ABI, and offering them three
 * times made "did you mean" three times as slow for the same answer.
 */
static const char *distinct_names[SF_ABI_COUNT * SF_NR_LIMIT];
static unsigned distinct_count;
static bool has_distinct_names;

static void collect_distinct_names(void)
{
	for (unsigned abi = 0; abi < SF_ABI_COUNT; abi++) {
		for (unsigned nr = 0; nr < SF_NR_LIMIT; nr++) {
			const char *name = sf_syscall_name(abi, nr);
			bool is_new = name != NULL;
			for (unsigned before = 0; is_new && before < abi; before++) {
				if (!is_indexed[before])
					index_names(before);
				is_new = indexed_number(before, name) < 0;
			}
			if (is_new)
				distinct_names[distinct_count++] = name;
		}
	}
	has_distinct_names = true;
}

/* x86_64 names first: on a tie, the name most programs call wins. */
const char *sf_suggest_syscall(const char *word)
{
	struct sf_suggestion sg;

	if (!word)
		return NULL;
	if (!has_distinct_names)
		collect_distinct_names();
	sf_suggestion_init(&sg, word);
	for (unsigned i = 0; i < distinct_count; i++)
		sf_suggestion_offer(&sg, distinct_names[i], distinct_names[i]);
	return sg.best;
}

const char *sf_suggest_errno(const char *word)
{
	struct sf_suggestion sg;

	if (!word)
		return NULL;
	sf_suggestion_init(&sg, word);
	for (int err = 1; err <= SF_MAX_ERRNO; err++)
		sf_suggestion_offer(&sg, strerrorname_np(err), strerrorname_np(err));
	return sg.best;
}

/*
 * Full "SIGxxx" spellings, built once so suggestions can return pointers
 * that stay valid: classic signals by number, then SIGRTMIN and SIGRTMAX.
 */
static char signal_names[NSIG + 2][16];
static pthread_once_t signal_names_once = PTHREAD_ONCE_INIT;

static void build_signal_names(void)
{
	for (int signo = 1; signo < NSIG; signo++)
		if (is_classic_signal(signo))
			sf_signal_name(signo, signal_names[signo], sizeof signal_names[0]);
	sf_signal_name(SIGRTMIN, signal_names[NSIG], sizeof signal_names[0]);
	sf_signal_name(SIGRTMAX, signal_names[NSIG + 1], sizeof signal_names[0]);
}

/* Compared without "SIG", so "USR" and "SIGUSR" both find SIGUSR1. */
const char *sf_suggest_signal(const char *word)
{
	struct sf_suggestion sg;

	if (!word)
		return NULL;
	pthread_once(&signal_names_once, build_signal_names);
	sf_suggestion_init(&sg, strip_sig(word));
	for (int i = 1; i < NSIG + 2; i++)
		if (signal_names[i][0])
			sf_suggestion_offer(&sg, signal_names[i], signal_names[i] + 3);
	return sg.best;
}

const char *sf_suggest_class(const char *word)
{
	struct sf_suggestion sg;

	if (!word)
		return NULL;
	sf_suggestion_init(&sg, word);
	for (unsigned i = 0; i < sf_class_name_count; i++)
		sf_suggestion_offer(&sg, sf_class_names[i].name, sf_class_names[i].name);
	return sg.best;
}
