/*
 * libsysfault: run a command under ptrace and make chosen system calls fail,
 * return a chosen value, stall or be interrupted, as a scenario says.
 *
 * Link with `pkg-config --cflags --libs sysfault` (add --static for
 * libsysfault.a, which needs libconfig, libseccomp and jansson too).
 *
 * Conventions
 *   - Functions that can fail return 0 on success or a negative errno value:
 *     -EINVAL for a mistake in what was given (a scenario file, a spec, an
 *     option), -ENOMEM when memory runs out, and the errno of a system call
 *     that failed (e.g. -ENOENT for a scenario file that does not exist).
 *   - Every failure is also reported once, as one line, through the
 *     diagnostics sink (see sf_diag_set_sink()): a mistake in a file as
 *     "FILE:LINE: what is wrong; what would be right", others naming what
 *     failed.  Callers never need to print an error themselves.
 *   - Strings passed in are only read and need to live only for the call,
 *     except where a parameter says otherwise.
 *
 * Threads and processes
 *   - sf_run() forks one child, the tracer, and waits for that pid only: the
 *     caller's other children, its signal dispositions and mask, its stdio
 *     and its CPU affinity and cgroup are left as they are.  The traced
 *     command inherits the caller's file descriptors (those not
 *     close-on-exec), its signal mask and its ignored signals, as a child
 *     of the caller would; where the tracer may, it is born in a cgroup v2
 *     of the run's, sysfault-PID beside the caller's, removed at the end
 *     (README, Engine: CPU placement; SYSFAULT_PIN=nocgroup: none).
 *     A SIGCHLD handler of the caller sees the tracer end.  If the caller
 *     dies, the tracer and the whole traced tree are killed (processes
 *     attached to are detached by the kernel instead, left running).
 *   - sf_run() may be called from several threads at once, on the same or
 *     different scenarios: a scenario is only read by a run.
 *   - The scenario functions and sf_list() share lazily built name tables:
 *     call them from one thread at a time.  sf_diag_set_sink() and the sink
 *     are process-wide: set the sink before starting threads that use the
 *     library; it is called in the thread whose call reports the message.
 *   - Loading a scenario or a spec with a `/regex` forks a short-lived
 *     child per regex (it compiles it with its memory and time bounded) and
 *     waits for that pid only, like sf_run().
 */
#ifndef SYSFAULT_SYSFAULT_H
#define SYSFAULT_SYSFAULT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Version -------------------------------------------------------------- */

/* The version of this header; sf_version() gives the library's. */
#define SF_VERSION_MAJOR 0
#define SF_VERSION_MINOR 4
#define SF_VERSION_MICRO 0
#define SF_VERSION_NUMBER(major, minor, micro) ((major) * 10000 + (minor) * 100 + (micro))
#define SF_VERSION_CURRENT SF_VERSION_NUMBER(SF_VERSION_MAJOR, SF_VERSION_MINOR, SF_VERSION_MICRO)

/* What libsysfault exports; everything else in the library is hidden. */
#ifdef __GNUC__
#define SF_API __attribute__((visibility("default")))
#else
#define SF_API
#endif

/*
 * The version of the library in use, as "MAJOR.MINOR.MICRO" (static
 * storage).  Programs built against one header may run with a newer
 * library of the same major version.
 */
SF_API const char *sf_version(void);

/* Exit statuses of `sysfault run`, besides the command's own. */
enum {
	SF_EXIT_TIMEOUT = 124,   /* the timeout expired and the tree was killed */
	SF_EXIT_USAGE = 125,     /* sysfault's own error: nothing was run; or the log or record lost lines */
	SF_EXIT_NOEXEC = 126,    /* the command was found but could not be executed */
	SF_EXIT_NOTFOUND = 127,  /* the command was not found */
};

/* ---- Scenario: the rules of a run ----------------------------------------- */

/*
 * A set of rules, loaded from files and specs, in the order they were
 * added (the first rule in order that fires on a call acts on it).  Once
 * loaded it is only read: any number of runs may use it, one after another
 * or at the same time, and each counts from zero.
 */
struct sf_scenario;

/* A new scenario with no rules.  Returns NULL only when memory runs out. */
SF_API struct sf_scenario *sf_scenario_new(void);

/* Frees SC and its rules.  SC may be NULL.  No run may be using it. */
SF_API void sf_scenario_free(struct sf_scenario *sc);

/*
 * Adds the rules of the libconfig scenario file PATH (format: README,
 * "Scenario files").  A file with a mistake
 * adds nothing.  The file's `name` and `seed` are taken if no earlier file
 * gave them (a different seed is reported as a warning and ignored).
 * PATH and the files it @includes must be regular files, 16 MiB in all.
 * A `/regex` in a syscall set is compiled in a short-lived child process
 * (fork(2)), which bounds its memory and time.
 *
 * Returns 0, or:
 *   -EINVAL   the file has a mistake (reported as "PATH:LINE: ..."), or is
 *             not a regular file (a FIFO, a device)
 *   -EFBIG    the file, with its includes, is larger than 16 MiB
 *   -ENOMEM   out of memory
 *   -errno    the file cannot be read (-ENOENT, -EACCES, -EISDIR, ...)
 */
SF_API int sf_scenario_load_file(struct sf_scenario *sc, const char *path);

/*
 * Adds one rule written in strace's -e syntax: "inject=SET:ACTION...",
 * "fault=SET[:error=E][:when=W]", or "SET:ACTION..." without a prefix,
 * e.g. "write:error=ENOSPC:when=3".  ORIGIN says where the spec came from,
 * in messages and in the result's sf_rule_result.origin (NULL: "-e").
 *
 * Returns 0, or -EINVAL (the spec is wrong, or longer than 66560 bytes;
 * reported as "ORIGIN 'SPEC': what is wrong") or -ENOMEM.
 */
SF_API int sf_scenario_add_spec(struct sf_scenario *sc, const char *spec,
				const char *origin);

/*
 * Calls made from the program interpreter's own code (the dynamic loader
 * that the executable's PT_INTERP names, e.g. /lib64/ld-linux-x86-64.so.2,
 * at start-up and in every later dlopen) are neither counted nor acted on
 * by a rule that skips them.  What a rule does with them: its file's
 * `loader_calls` if it says, else the scenario's choice below, else
 * DEFAULT: a file's rules skip them, -e rules count them (as strace).
 */
enum sf_loader_calls {
	SF_LOADER_CALLS_DEFAULT,  /* as above: files skip, -e rules count */
	SF_LOADER_CALLS_COUNT,    /* counted and acted on like the program's own */
	SF_LOADER_CALLS_SKIP,     /* passed through, never counted */
};

/*
 * Sets what the rules of SC that do not say (every -e rule, and the rules
 * of a file without `loader_calls`) do with the loader's calls, whether
 * added before or after: `sysfault run --loader-calls`.
 *
 * Returns 0, or -EINVAL (CALLS is none of the above) or -ENOMEM.
 */
SF_API int sf_scenario_set_loader_calls(struct sf_scenario *sc, enum sf_loader_calls calls);

/*
 * strace's -P PATH (--trace-path) and --trace-fds=SET, for every rule of
 * SC, added before or after: a call is then acted on (and counted) only
 * if a path argument is PATH as the program wrote it (or PATH's
 * realpath: strace compares strings, it does not resolve) or an fd
 * argument refers to it, or an fd argument is in SET (fd numbers separated by ','; sysfault
 * also takes ranges, "3..10").  Several calls add up: any one will do.
 *
 * Return 0, or -EINVAL (an empty PATH, a bad SET; reported) or -ENOMEM.
 */
SF_API int sf_scenario_trace_path(struct sf_scenario *sc, const char *path);
SF_API int sf_scenario_trace_fds(struct sf_scenario *sc, const char *set);
/*
 * `sysfault run --ignore-dir DIR`: no rule of SC sees a call on a file at or
 * below DIR, added before or after: a path argument that resolves there, or
 * an fd argument of a file there, makes the call neither counted nor acted
 * on.  For instrumentation's own files, such as a coverage build's gcov data
 * under its GCOV_PREFIX: its writes at exit are not the program's calls.
 * DIR is taken as given (made absolute) and as its realpath; it need not
 * exist.  Several calls add up.
 *
 * Returns 0, or -EINVAL (an empty DIR; reported) or -ENOMEM.
 */
SF_API int sf_scenario_ignore_dir(struct sf_scenario *sc, const char *dir);
/*
 * strace's -e trace=SET: strace injects only into the calls it traces, so
 * once this is called only calls in SET (the union of every call) are
 * counted and acted on.  SET is a syscall set as in a spec ("open,read",
 * "%file", "!write", "none").  Returns 0, or -EINVAL (reported).
 */
SF_API int sf_scenario_trace_syscalls(struct sf_scenario *sc, const char *set);

/* The number of rules added so far. */
SF_API unsigned sf_scenario_rule_count(const struct sf_scenario *sc);

/* Whether a scenario file gave a seed; if so, stores it in *SEED. */
SF_API bool sf_scenario_seed(const struct sf_scenario *sc, uint64_t *seed);

/* The name given by a scenario file (the first that has one), or NULL. */
SF_API const char *sf_scenario_name(const struct sf_scenario *sc);

/*
 * Writes every rule to OUT as it was understood (syscalls resolved per
 * ABI, defaults filled in): what `sysfault check` prints.
 */
SF_API void sf_scenario_print(const struct sf_scenario *sc, FILE *out);

/* ---- Run ------------------------------------------------------------------ */

enum sf_engine_kind {
	SF_ENGINE_AUTO,          /* notify where the kernel has it, else seccomp, else ptrace */
	SF_ENGINE_PTRACE,        /* stop at every syscall (the reference) */
	SF_ENGINE_SECCOMP,       /* a BPF filter sends only the selected calls to the tracer */
	SF_ENGINE_NOTIFY,        /* as seccomp, but the calls answerable at entry go to a
				    seccomp listener instead of a ptrace stop (Linux 5.19) */
};

struct sf_run_options {
	enum sf_engine_kind engine;
	bool has_seed;           /* use SEED; else the scenario's, else a random one */
	uint64_t seed;           /* for `probability` rules; the result says which was used */
	uint64_t timeout_ns;     /* kill the whole tree after this long (exit 124); 0: none */
	const char *log_path;    /* JSON Lines log of the run (README "Log format"); NULL: none */
	int verbosity;           /* -1 quiet (errors only), 0 normal, 1 verbose */
	/* explore's two modes; both NULL for a normal run. */
	const char *record_path; /* write every call a rule would act on (JSON Lines); act on none */
	const char *point;       /* act only at this failure point, e.g. "1.2/0:write:3:r1" */
	/*
	 * Trace from the calling process itself instead of a tracer process:
	 * for a program that is nothing but this run (the sysfault command).
	 * The run then waits for any child of the process (waitpid(-1)),
	 * handles SIGINT, SIGTERM, SIGHUP and SIGQUIT by passing them to the
	 * command, ignores SIGPIPE, uses SIGALRM and a POSIX timer, and pins
	 * the process to one CPU while it runs; all restored at the end (the
	 * process stays in its cgroup; the run's, for the command, is a child
	 * of it).  Not for use from more than one thread at once.
	 */
	bool in_process;
	/*
	 * Attach to these running processes instead of starting a command
	 * (`sysfault run -p`; sf_run()'s ARGV is then NULL): every thread of
	 * each, and every process and thread they start from then on, is
	 * traced under the ptrace engine (SF_ENGINE_AUTO means ptrace; a
	 * seccomp filter cannot be added to a running process).  Counting
	 * starts at the attach.  They are seized without PTRACE_O_EXITKILL
	 * and, at the end, detached and left running as they were (a call
	 * whose number was replaced gets its result first, a delay is cut
	 * short, a pending signal is passed on, a stopped process stays
	 * stopped).  The run ends when all of them have ended, at the
	 * timeout, or (with in_process) at SIGINT, SIGTERM, SIGHUP or SIGQUIT;
	 * the result's exit_status is then 0.  If the tracer dies first, the
	 * kernel detaches them (a call in progress whose number was replaced
	 * then fails with ENOSYS).  A thread's id stands for its process.
	 * NULL and 0: start ARGV.
	 */
	const int *attach_pids;  /* [nattach] process ids; only read during sf_run() */
	unsigned nattach;
	/*
	 * With record_path: list one point per call site (the first call the
	 * rules act on from each), "site:KEY:SYSCALL:rRULE", with its stack,
	 * instead of one per call.  README, "explore: points by site".
	 */
	bool record_by_site;
};

/* What one rule did in a run. */
struct sf_rule_result {
	const char *name;        /* label from the scenario, or NULL; owned by the scenario */
	const char *origin;      /* "FILE:LINE" or "-e 'SPEC'"; owned by the scenario */
	uint64_t matched;        /* calls the rule selected */
	uint64_t injected;       /* calls it acted on */
};

struct sf_result {
	int exit_status;         /* what `sysfault run` exits with: the command's status,
				    128+N when signal N killed it, 124 on timeout,
				    126/127 when the command cannot be executed or found,
				    125 when it exited 0 but the log or record lost lines;
				    0 after an attach (attach_pids) */
	int term_signal;         /* the signal that killed the command, or 0 (the
				    `sysfault` command re-raises it on itself) */
	bool timed_out;          /* the timeout ended the run (killing the tree, or
				    detaching from attached processes) */
	uint64_t seed;           /* the seed used: pass it back to replay the run */
	unsigned nrules;
	struct sf_rule_result *rules;  /* [nrules], in scenario order; freed by sf_result_release() */
	uint64_t processes;      /* processes and threads traced */
	uint64_t injections;     /* over all rules */
	const char *point;       /* the point of a point run (the option's string), or NULL */
	bool point_reached;      /* whether the point run acted at its point */
};

/* Sets OPTS to the defaults: auto engine, no seed, no timeout, no log. */
SF_API void sf_run_options_init(struct sf_run_options *opts);

/*
 * Runs ARGV (NULL-terminated; argv[0] looked up in PATH as execvp does)
 * and every process and thread it starts under the rules of SC, and waits
 * until the whole tree has ended; or, with opts->attach_pids (ARGV NULL),
 * attaches to those processes instead (see struct sf_run_options).  SC is
 * only read (it must stay alive and unchanged until the call returns).
 * Without opts->in_process the run happens in a tracer process: see
 * "Threads and processes" above.  A command that cannot be found or
 * executed is not an error: the result says 127 or 126, and the reason is
 * reported.
 *
 * Returns 0 and fills RESULT (release it with sf_result_release()), or
 * leaves RESULT empty and returns:
 *   -EINVAL   bad options (SC, ARGV, a malformed point, record with point;
 *             both or neither of ARGV and attach_pids; the seccomp or notify
 *             engine with attach_pids)
 *   -ESRCH    a process to attach to does not exist (attach_pids)
 *   -EPERM    the kernel refused to attach to one (another user's,
 *             kernel.yama.ptrace_scope, already traced: said in the line)
 *   -ENOSYS   SF_ENGINE_SECCOMP asked for on a kernel without seccomp filters,
 *             or SF_ENGINE_NOTIFY on one without seccomp user notification
 *   -ENOMEM   out of memory
 *   -ECHILD   the tracer process died before it could send the result
 *   -errno    a system call failed: the log could not be written, ptrace
 *             refused to trace (-EPERM), the tracer could not be forked
 */
SF_API int sf_run(const struct sf_scenario *sc, const struct sf_run_options *opts,
		  char *const argv[], struct sf_result *result);

/* Frees what sf_run() put in RESULT and empties it; safe to call twice. */
SF_API void sf_result_release(struct sf_result *result);

/* ---- Reports -------------------------------------------------------------- */

enum sf_summary {
	SF_SUMMARY_TEXT,         /* lines for people: the seed, then a line per rule */
	SF_SUMMARY_JSON,         /* one JSON object (README "Summary") */
	SF_SUMMARY_NONE,         /* nothing */
};

/* Writes the per-rule summary of RESULT to OUT in the format FMT. */
SF_API void sf_report_summary(const struct sf_result *result, enum sf_summary fmt,
			      FILE *out);

/* ---- Name tables (`sysfault list`) ---------------------------------------- */

enum sf_list_kind {
	SF_LIST_SYSCALLS,        /* syscall names of every ABI */
	SF_LIST_ERRNOS,          /* errno names with their numbers */
	SF_LIST_SIGNALS,         /* signal names with their numbers */
	SF_LIST_CLASSES,         /* strace's classes (%file, %net...) and their syscalls */
};

/* Writes the names of KIND to OUT, one entry per line. */
SF_API void sf_list(enum sf_list_kind kind, FILE *out);

/* ---- Diagnostics ---------------------------------------------------------- */

enum sf_diag_kind {
	SF_DIAG_INPUT,           /* a mistake in an input file; the line starts "FILE:LINE: " */
	SF_DIAG_ERROR,           /* a failure: a bad spec or option, or of a system call */
	SF_DIAG_WARNING,         /* something done differently than asked, or doubtful */
	SF_DIAG_NOTE,            /* information (more of it with verbosity 1) */
};

/*
 * Receives each message the library reports: its kind and one line of
 * text without a trailing newline and without any "sysfault: " prefix.
 * Control characters in it (from a spec, a path, a name) are already made
 * visible (\n, \x1b; README "Summary"): the line never holds a newline.
 * ARG is what was given to sf_diag_set_sink().
 */
typedef void sf_diag_sink(enum sf_diag_kind kind, const char *line, void *arg);

/*
 * Sends every message to SINK (with ARG).  NULL restores the default,
 * which writes to stderr: SF_DIAG_INPUT lines as they are, the others
 * after "sysfault: " ("sysfault: warning: " for warnings).  Messages of a
 * run's tracer process reach the sink in the thread that called sf_run(),
 * as they happen.
 */
SF_API void sf_diag_set_sink(sf_diag_sink *sink, void *arg);

#ifdef __cplusplus
}
#endif
#endif
