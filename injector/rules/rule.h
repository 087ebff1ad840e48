/*
 * Rules: which calls a rule selects, when its trigger fires, what it does,
 * and the counters behind the trigger.  The engine asks sf_rules_decide()
 * "does any rule fire for this call?" and gets an action back; rules never
 * call ptrace and the engine never reads scenario fields.
 */
#ifndef SF_RULE_H
#define SF_RULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rules/filter.h"
#include "rules/names.h"
#include "sysfault/sysfault.h"   /* enum sf_loader_calls */

/* Which syscalls a rule selects: one bit per number per ABI. */
struct sf_sysset {
	uint64_t bits[SF_ABI_COUNT][SF_NR_LIMIT / 64];
};

static inline bool sf_sysset_has(const struct sf_sysset *s, enum sf_abi abi,
				 unsigned nr)
{
	return nr < SF_NR_LIMIT && (s->bits[abi][nr / 64] >> (nr % 64)) & 1;
}

static inline void sf_sysset_add(struct sf_sysset *s, enum sf_abi abi,
				 unsigned nr)
{
	if (nr < SF_NR_LIMIT)
		s->bits[abi][nr / 64] |= UINT64_C(1) << (nr % 64);
}

/*
 * strace's trigger: fire at the FIRST-th call, then every STEP calls, not
 * past the LAST-th.  STEP 0 fires once.  Bounds as strace: 1..65535.
 */
#define SF_WHEN_LAST_INF 0xffffu
struct sf_when {
	uint16_t first;          /* 1..65535 */
	uint16_t last;           /* first..65534, or SF_WHEN_LAST_INF */
	uint16_t step;           /* 0..65535 */
};

/* What to do with a call. Flags may combine as strace allows. */
enum {
	SF_ACT_ERROR = 1u << 0,        /* fail with -error; the call does not run (but see runs_first) */
	SF_ACT_RETVAL = 1u << 1,       /* return retval; the call does not run (but see runs_first) */
	SF_ACT_SIGNAL = 1u << 2,       /* deliver signo to the calling thread */
	SF_ACT_DELAY_ENTER = 1u << 3,  /* hold the thread before the call */
	SF_ACT_DELAY_EXIT = 1u << 4,   /* hold the thread after the call */
	SF_ACT_SYSCALL = 1u << 5,      /* run syscall substitute_nr instead of -1 */
	SF_ACT_SHORT = 1u << 6,        /* the call runs on part of its buffer: a real partial transfer */
	SF_ACT_POKE_ENTER = 1u << 7,   /* write bytes into the tracee's memory before the call */
	SF_ACT_POKE_EXIT = 1u << 8,    /* ... after it */
};

/* strace's poke_enter=@argN=HEX: LEN bytes written where argument ARG points. */
struct sf_poke {
	unsigned arg;                   /* 0..5 */
	size_t len;                     /* 1..SF_POKE_MAX */
	unsigned char *bytes;           /* malloc'd */
};
#define SF_POKE_MAX 4096                /* as strace's poke data limit */
struct sf_pokes {
	struct sf_poke *v;              /* malloc'd */
	unsigned n;
};

/* How much of a transfer short= lets through: the first BYTES, or FRACTION of the count. */
struct sf_short {
	uint64_t bytes;                 /* > 0 when given in bytes */
	double fraction;                /* in (0, 1) when given as a fraction, else 0 */
};

/* Whether a call given error or retval runs before its result is replaced, as written. */
enum sf_call_mode {
	SF_CALL_DEFAULT,   /* skipped, except close (sf_spec_settle_call) */
	SF_CALL_SKIP,      /* call=skip: the kernel never runs it */
	SF_CALL_RUN,       /* call=run: the kernel runs it, then its result is replaced */
};

struct sf_action {
	unsigned flags;
	enum sf_call_mode call;
	/* The calls that run before their result is replaced: settled from call at load time. */
	struct sf_sysset runs_first;
	int error;                      /* 1..SF_MAX_ERRNO */
	uint64_t retval;                /* full register width */
	int signo;
	uint64_t delay_enter_ns;
	uint64_t delay_exit_ns;
	int substitute_nr[SF_ABI_COUNT];  /* %pure syscall for syscall=; -1 if none on that ABI */
	struct sf_short shorten;          /* SF_ACT_SHORT */
	struct sf_pokes poke_enter;       /* SF_ACT_POKE_ENTER */
	struct sf_pokes poke_exit;        /* SF_ACT_POKE_EXIT */
};

/* Whether (ABI, NR) runs before its error or retval is written at the exit. */
static inline bool sf_action_runs_first(const struct sf_action *a, enum sf_abi abi, unsigned nr)
{
	return sf_sysset_has(&a->runs_first, abi, nr);
}

/* The value the caller sees for an error= or retval= action: -errno, or the value. */
static inline int64_t sf_action_result(const struct sf_action *a)
{
	return (a->flags & SF_ACT_ERROR) ? -(int64_t)a->error : (int64_t)a->retval;
}

/* How occurrences are counted. */
enum sf_scope {
	SF_SCOPE_THREAD,   /* every thread from 1 (strace) */
	SF_SCOPE_PROCESS,  /* one count per thread group */
	SF_SCOPE_TREE,     /* one count for the whole tree */
};

struct sf_rule {
	char *name;              /* label from the file, or NULL */
	char *origin;            /* "file.cfg:12" or "-e 'SPEC'" for messages and reports */
	struct sf_sysset set;
	struct sf_when when;
	double probability;      /* of the calls `when` selects; 1.0 = always */
	uint64_t limit;          /* at most this many injections; 0 = no limit */
	enum sf_scope scope;
	struct sf_action action;
	enum sf_loader_calls loader_calls; /* as its file says (COUNT, SKIP), or DEFAULT */
	bool is_from_file;       /* a scenario file's: skips the loader's calls unless told; -e counts them */
	struct sf_filter filter; /* path, fd, fd_type, process, args: narrows what the rule selects */

	/* Derived by sf_rules_finalize() when the rules are loaded. */
	unsigned index;          /* position in file order */
	bool is_filtered;        /* FILTER is not empty */
	bool counts_loader_calls; /* calls from the program interpreter's code count */
};

/* What one rule did in one run: owned by the run, one per rule, by index. */
struct sf_rule_tally {
	uint64_t matched;        /* calls selected */
	uint64_t fired;          /* calls its trigger chose (what `limit` counts) */
	uint64_t injected;       /* calls the engine acted on */
};

/*
 * The rules selecting one (ABI, number), in file order: what
 * sf_rules_decide() walks, so a call costs the rules that select it and
 * a rule costs the calls it selects, never the whole syscall table.
 */
struct sf_call_rules {
	uint32_t *rule;          /* indices into sf_rules.v, ascending */
	uint32_t n, cap;
};

/* An ordered list of rules. */
struct sf_rules {
	struct sf_rule **v;
	unsigned n, cap;
	/* Derived by sf_rules_finalize(), for the rules [0, nindexed). */
	struct sf_sysset any;    /* union of every rule's set */
	struct sf_call_rules *calls;   /* [abi * SF_NR_LIMIT + nr]; NULL before the first finalize */
	unsigned nindexed;       /* rules already in `calls` */
	size_t npairs;           /* (rule, syscall) pairs in `calls` */
	enum sf_loader_calls loader_calls; /* for rules that do not say (--loader-calls), or DEFAULT */
	bool skips_loader_calls; /* some rule skips them (sf_rules_finalize) */
	struct sf_trace_select select; /* strace's -P and --trace-fds, for every rule */
	struct sf_ignored_dirs ignored; /* --ignore-dir: calls on files there, for no rule */
	struct sf_sysset traced; /* strace's -e trace=SET: only these calls are acted on */
	bool has_traced;         /* some -e trace= was given */
};

void sf_rules_init(struct sf_rules *rules);
void sf_rules_release(struct sf_rules *rules);
/* Takes ownership of RULE (malloc'd, fields malloc'd). Returns 0 or -ENOMEM. */
int sf_rules_append(struct sf_rules *rules, struct sf_rule *rule);
/* A new rule with strace's defaults: when 1+, probability 1, thread scope. */
struct sf_rule *sf_rule_new(void);
void sf_rule_free(struct sf_rule *rule);
void sf_pokes_release(struct sf_pokes *p);

/*
 * Call after every change: settles each rule's index and loader-call flag
 * (a few steps per rule) and adds the rules appended since the last call
 * to the per-call lists, so that n loads cost what their rules select, not
 * n times the table.  A rule's set must not change once it is finalized.
 * Returns 0 or -ENOMEM (then calling it again is safe).
 */
int sf_rules_finalize(struct sf_rules *rules);
/* (Rule, syscall) pairs the per-call lists hold: the sum of what each rule selects. */
size_t sf_rules_pair_count(const struct sf_rules *rules);

/* Whether any rule selects (ABI, NR): the engine's cheap first test. */
bool sf_rules_select(const struct sf_rules *rules, enum sf_abi abi, unsigned nr);
/* Whether strace's -e trace= (if any was given) lets the rules act on (ABI, NR). */
bool sf_rules_traced(const struct sf_rules *rules, enum sf_abi abi, unsigned nr);
/* Whether some rule skips the program interpreter's calls: only then must the engine find them. */
bool sf_rules_skip_loader_calls(const struct sf_rules *rules);

/*
 * Per-unit trigger state.  A unit is a thread, a thread group or the whole
 * tree; each rule counts in the unit its scope names.  Allocated lazily,
 * per call the unit makes (counters.c): a unit that makes no selected call
 * holds nothing.
 */
struct sf_counters;
void sf_counters_free(struct sf_counters *c);
/* Counters C holds: one per rule for each call the unit made that the rule selects. */
size_t sf_counters_held(const struct sf_counters *c);

struct sf_units {
	struct sf_counters **thread;   /* owned by the tracee */
	struct sf_counters **process;  /* owned by its thread group */
	struct sf_counters **tree;     /* owned by the run */
	uint64_t thread_serial;        /* creation order of the thread in the run, for probability */
	uint64_t process_serial;       /* same, of its thread group */
};

/*
 * Called at each syscall entry of a tracee (VIEW: its ABI, number,
 * arguments, and what the filters may ask about it): every rule selecting
 * the call and whose filters let it through counts it (TALLY[rule].matched,
 * and the unit's counters); the
 * first rule in file order whose trigger fires (and whose probability roll
 * and limit allow) is returned, its TALLY `fired` incremented.  NULL when
 * nothing acts.  *OCCURRENCE receives the acting rule's count of this call
 * in its unit (1-based).  IS_LOADER_CALL says the call was made from the
 * program interpreter's own code: rules that skip such calls neither count
 * nor act on it.  RULES is only read.
 */
const struct sf_rule *sf_rules_decide(const struct sf_rules *rules, struct sf_rule_tally *tally,
				      struct sf_units *units, uint64_t seed,
				      const struct sf_call_view *view, bool is_loader_call,
				      uint64_t *occurrence);

#endif
