/*
 * explore's sandbox: every run of a campaign (the clean run and each point's)
 * sees the working directory and /tmp as they were before the campaign, and
 * its changes to them vanish.  Nothing here ever writes to the user's tree or
 * mounts anything in explore's own namespace: mounts are made only in a
 * run's process, in a mount namespace of its own.
 */
#ifndef SF_EXPLORE_SANDBOX_H
#define SF_EXPLORE_SANDBOX_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

/* What `explore --isolate LIST` names. */
enum sf_isolate {
	SF_ISOLATE_FS = 1u << 0,    /* the working directory and /tmp (the default) */
	SF_ISOLATE_NET = 1u << 1,   /* a network namespace with its own loopback, up */
};

/*
 * Parses "fs", "net", "fs,net" or "none" into BITS: "net" adds to "fs", so
 * "net" alone means both.  Returns 0, or -1 when a name is unknown.
 */
int sf_isolate_parse(const char *list, unsigned *bits);

/* ---- the campaign's side (sandbox.c) ---- */

struct sf_sandbox;

/*
 * Decides, once per campaign, how its runs are isolated (ISOLATE bits) with
 * TMPDIR the campaign's private directory: tries the namespaces and mounts
 * in a child, falls back to a copy of the working directory when overlayfs
 * refuses it as a lower layer, and to an empty tmpfs when it refuses /tmp.
 * ISOLATE 0 (--no-isolate) gives *OUT NULL and a warning when JOBS > 1.
 * HAS_KEEP: every run sees its BOX/keep (SF_SANDBOX_KEEP_DIR) at its own
 * path, where what it writes outlives it.
 * Returns 0, or -1 after one line saying why and suggesting --no-isolate.
 */
int sf_sandbox_prepare(struct sf_sandbox **out, unsigned isolate, const char *tmpdir,
		       unsigned jobs, bool has_keep);
/* How many words sf_sandbox_argv() writes (0 for SB NULL). */
size_t sf_sandbox_argc(const struct sf_sandbox *sb);
/*
 * Writes the words that put one run in the sandbox, "__sandbox ... --",
 * into ARGV (room for sf_sandbox_argc() of them); BOX is the run's scratch
 * directory in the campaign's, cleared when the run starts.  The words
 * point into SB and BOX.  Returns how many it wrote (0 for SB NULL).
 */
size_t sf_sandbox_argv(const struct sf_sandbox *sb, const char *box, char **argv);
/* Removes the copy and every run's scratch directory, and frees SB. */
void sf_sandbox_free(struct sf_sandbox *sb);

/* ---- the run's side (sandbox_build.c) ---- */

/*
 * `sysfault __sandbox BOX FLAGS [TARGET LOWER]... -- run ARGS...` (ARGV[0]
 * is "__sandbox"): builds the run's sandbox in this process, then hands it
 * to `run`.  Returns the index of "run" in ARGV, or -1 after one line.
 */
int sf_sandbox_enter(int argc, char **argv);

/* ---- between the two sides ---- */

/*
 * The run's directory under BOX that the run sees at its own path, bound
 * over the layers: what the command writes there (explore --coverage: its
 * gcov data) is in the campaign's directory when the run ends.
 */
#define SF_SANDBOX_KEEP_DIR "keep"

/* One mount of a run's sandbox; they are made in order. */
struct sf_sandbox_layer {
	const char *target;      /* what the run sees there: the working directory or /tmp */
	const char *lower;       /* what it shows: the target itself or a copy; NULL: an empty tmpfs */
};

#define SF_SANDBOX_MAX_LAYERS 3

struct sf_sandbox_plan {
	bool is_userns;          /* in a user namespace too: without CAP_SYS_ADMIN */
	bool is_userxattr;       /* overlayfs keeps its xattrs in user.*: not in the initial user namespace */
	bool is_net;             /* with a network namespace */
	bool is_keep;            /* BOX/keep bound on its own path, after the layers */
	const char *box;         /* the run's scratch: BOX/N/up and BOX/N/work of layer N */
	struct sf_sandbox_layer layers[SF_SANDBOX_MAX_LAYERS];
	size_t nlayers;
};

enum sf_sandbox_step {
	SF_SANDBOX_BOX,          /* clearing or making the scratch directory */
	SF_SANDBOX_OPEN,         /* opening a layer's directory */
	SF_SANDBOX_UNSHARE,
	SF_SANDBOX_MAP,          /* writing the user namespace's maps */
	SF_SANDBOX_PRIVATE,      /* making every mount private */
	SF_SANDBOX_MOUNT,
	SF_SANDBOX_LOOPBACK,
	SF_SANDBOX_KEEP,         /* binding BOX/keep on its own path */
	SF_SANDBOX_CHDIR,        /* entering the working directory again */
	SF_SANDBOX_TRIAL,        /* the trial process died before it could say (err: its wait status) */
};

/* Where building a plan failed. */
struct sf_sandbox_failure {
	enum sf_sandbox_step step;
	size_t layer;            /* SF_SANDBOX_MOUNT: which one */
	int err;                 /* errno */
	char path[PATH_MAX];     /* the path or file concerned, if any */
};

/*
 * Builds PLAN in this process: clears BOX, enters new namespaces, mounts the
 * layers, enters the working directory again.  Returns an O_PATH descriptor
 * of BOX's parent (the campaign's directory, which a layer may now hide), or
 * -1 with *WHY filled in.  Prints nothing.
 */
int sf_sandbox_build(const struct sf_sandbox_plan *plan, struct sf_sandbox_failure *why);
/* "mounting an overlay of /x on /x: Invalid argument", for an error line. */
void sf_sandbox_failure_text(const struct sf_sandbox_plan *plan, const struct sf_sandbox_failure *why,
			     char *buf, size_t size);
/* rm -rf PATH, making directories writable first (a run may leave them not); 0 or -errno. */
int sf_sandbox_remove_tree(const char *path);

#endif
