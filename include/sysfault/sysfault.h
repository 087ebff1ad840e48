/*
 * libsysfault: run a command under ptrace and make chosen system calls fail,
 * return a chosen value, stall or be interrupted, as a scenario says.
 *
 * Functions that can fail on user input report the mistake themselves, once,
 * as "FILE:LINE: what is wrong" on stderr (see sf_diag_set_sink() to catch
 * it), and return -1.  Internal failures return a negative errno value.
 */
#ifndef SYSFAULT_SYSFAULT_H
#define SYSFAULT_SYSFAULT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SF_VERSION_MAJOR 0
#define SF_VERSION_MINOR 2
#define SF_VERSION_MICRO 0

/* What libsysfault exports; everything else in the library is hidden. */
#ifdef __GNUC__
#define SF_API __attribute__((visibility("default")))
#else
#define SF_API
#endif

/* Exit statuses of `sysfault run`, besides the command's own. */
enum {
	SF_EXIT_TIMEOUT = 124,   /* --timeout expired, the tree was killed */
	SF_EXIT_USAGE = 125,     /* sysfault's own error: nothing was run */
	SF_EXIT_NOEXEC = 126,    /* command found but not executable */
	SF_EXIT_NOTFOUND = 127,  /* command not found */
};

/* ---- Scenario: the rules of one run ------------------------------------ */

struct sf_scenario;

/* A new empty scenario; NULL only when memory runs out. */
SF_API struct sf_scenario *sf_scenario_new(void);
SF_API void sf_scenario_free(struct sf_scenario *sc);

/*
 * Adds the rules of the libconfig file PATH.  Returns 0, or -1 after
 * reporting "PATH:LINE: what is wrong" once.
 */
SF_API int sf_scenario_load_file(struct sf_scenario *sc, const char *path);

/*
 * Adds one rule written in strace's -e syntax: "inject=SET:ACTION...",
 * "fault=SET[:error=E][:when=W]", or "SET:ACTION..." with no prefix.
 * ORIGIN names where the spec came from in messages (e.g. "-e").
 * Returns 0, or -1 after reporting the mistake.
 */
SF_API int sf_scenario_add_spec(struct sf_scenario *sc, const char *spec,
			 const char *origin);

/* Number of rules loaded so far. */
SF_API unsigned sf_scenario_rule_count(const struct sf_scenario *sc);

/* The seed given by a scenario file, if any: returns true and sets *seed. */
SF_API bool sf_scenario_seed(const struct sf_scenario *sc, uint64_t *seed);

/* Prints every rule as understood (the output of `sysfault check`). */
SF_API void sf_scenario_print(const struct sf_scenario *sc, FILE *out);

/* ---- Run --------------------------------------------------------------- */

enum sf_engine_kind { SF_ENGINE_AUTO, SF_ENGINE_PTRACE, SF_ENGINE_SECCOMP };
enum sf_summary { SF_SUMMARY_TEXT, SF_SUMMARY_JSON, SF_SUMMARY_NONE };

struct sf_run_options {
	enum sf_engine_kind engine;
	bool has_seed;           /* else the scenario's, else a random one */
	uint64_t seed;
	uint64_t timeout_ns;     /* 0: none */
	const char *log_path;    /* JSON Lines log; NULL: none */
	enum sf_summary summary;
	int verbosity;           /* -1 quiet, 0 normal, 1+ verbose */
	/* explore's modes; both NULL for a normal run. */
	const char *record_path; /* list every call a rule would act on (JSON Lines), act on none */
	const char *point;       /* act only at this failure point, e.g. "1.2/0:write:3:r1" */
};

/* What a run did, per rule. */
struct sf_rule_result {
	const char *name;        /* label from the scenario, or NULL */
	const char *origin;      /* "FILE:LINE" or "-e 'SPEC'" */
	uint64_t matched;        /* calls the rule selected */
	uint64_t injected;       /* calls it acted on */
};

struct sf_result {
	int exit_status;         /* what `sysfault run` exits with */
	int term_signal;         /* signal that killed the command, or 0 */
	bool timed_out;
	uint64_t seed;           /* seed actually used */
	unsigned nrules;
	struct sf_rule_result *rules;  /* owned by the result */
	uint64_t processes;      /* processes and threads seen */
	uint64_t injections;     /* total across rules */
	const char *point;       /* the point of a point run, or NULL */
	bool point_reached;      /* whether the point run acted at it */
};

/* Fills OPTS with the defaults: auto engine, text summary, no timeout. */
SF_API void sf_run_options_init(struct sf_run_options *opts);

/*
 * Runs ARGV (NULL-terminated, argv[0] looked up in PATH) under the scenario
 * and waits for the whole tree to end.  Returns 0 and fills RESULT, or -1
 * when the run could not start (reported).  RESULT->exit_status follows
 * DESIGN.md: the command's status, 128+N on signal N, 124 on timeout,
 * 126/127 when the command cannot be executed or found.
 */
SF_API int sf_run(struct sf_scenario *sc, const struct sf_run_options *opts,
	   char *const argv[], struct sf_result *result);

SF_API void sf_result_release(struct sf_result *result);

/* ---- Reports ----------------------------------------------------------- */

/* The per-rule summary, as text or JSON. */
SF_API void sf_report_summary(const struct sf_result *result, enum sf_summary fmt,
		       FILE *out);

/* ---- Name tables (`sysfault list`) -------------------------------------- */

enum sf_list_kind { SF_LIST_SYSCALLS, SF_LIST_ERRNOS, SF_LIST_SIGNALS,
		    SF_LIST_CLASSES };
SF_API void sf_list(enum sf_list_kind kind, FILE *out);

/* ---- Diagnostics -------------------------------------------------------- */

/*
 * Every message sysfault reports (one line, no trailing newline) goes to
 * SINK; NULL restores the default, which writes "sysfault: " + line to
 * stderr (file:line messages are printed as they are).
 */
SF_API void sf_diag_set_sink(void (*sink)(const char *line));

#ifdef __cplusplus
}
#endif
#endif
