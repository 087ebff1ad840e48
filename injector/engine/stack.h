/*
 * The user stack of a stopped thread: unwound through ptrace by elfutils'
 * libdwfl and named frame by frame (module, build ID, offset, function,
 * file:line), for the call view's stack op.  It reads registers and memory
 * only: it never attaches, resumes or detaches a thread (libdwfl is told
 * the engine owns them), and is asked only when a feature wants a stack.
 */
#ifndef SF_STACK_H
#define SF_STACK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "rules/filter.h"

/* What is known of the modules of every process unwound so far. */
struct sf_stacks;

/* An empty cache; NULL when out of memory. */
struct sf_stacks *sf_stacks_new(void);
void sf_stacks_free(struct sf_stacks *s);

/*
 * Process TGID exec'd a new program or ended: its modules and named
 * addresses are dropped (a NULL S is fine).  A process not known is no
 * error.
 */
void sf_stacks_forget(struct sf_stacks *s, pid_t tgid);

/*
 * The stack of thread TID of process TGID, which must be in a ptrace stop
 * of this process: at most SF_FRAMES_MAX frames, innermost (the call's
 * own) first.  Never an error: a thread that cannot be unwound gives no
 * frames, a stripped module frames without a function, an address in no
 * module a frame with neither module nor function.  No frame has a source
 * file yet (sf_stacks_add_source).  The frames and their strings stay
 * valid until the next call, or until TGID is forgotten.  A NULL S gives
 * no frames.
 */
const struct sf_frames *sf_stacks_unwind(struct sf_stacks *s, pid_t tgid, pid_t tid);

/*
 * The stack the last sf_stacks_unwind() returned, its frames now with
 * file and line where the modules have DWARF line tables: the dearest
 * part (a module's line tables are read at its first address), so only
 * for what a user reads.  NULL when S is NULL.
 */
const struct sf_frames *sf_stacks_add_source(struct sf_stacks *s);

/*
 * File and line of frames named earlier, maybe by another process (a
 * record run): the modules are opened from their files, offline, once
 * each, and a file whose build ID is no longer the frame's gives nothing.
 * What a report costs once per campaign instead of once per traced
 * process (the line tables of libc6-dbg alone: some 50 ms).
 */
struct sf_sources;

/* An empty cache; NULL when out of memory. */
struct sf_sources *sf_sources_new(void);
void sf_sources_free(struct sf_sources *s);
/*
 * The source line of OFFSET in MODULE (as a frame names them; BUILD_ID
 * may be NULL): true with *FILE (valid until S is freed) and *LINE set,
 * false when the module or its line tables are not there.
 */
bool sf_sources_find(struct sf_sources *s, const char *module, const char *build_id, uint64_t offset,
		     const char **file, int *line);

#endif
