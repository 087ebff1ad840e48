/*
 * Call sites: where in a program a call was made, as explore's site
 * points name it.  A site is the executable's name and the stack of the
 * call, frame by frame its module (by build ID, else its file's name) and
 * its offset in that module's file, cut at SF_SITE_DEPTH frames: the same
 * for every run of the same build, whatever the address layout (ASLR),
 * the process, the occurrence or the directory the program runs from.
 */
#ifndef SF_SITE_H
#define SF_SITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rules/filter.h"

/*
 * Frames a site is made of, innermost first: the call's own address in
 * the C library, the libc frames above it (stdio takes four or five), and
 * the program's functions that called them.  Deeper frames (main's
 * callers, the start-up code) rarely tell error paths apart, and a
 * recursion or an interpreter's loop would make every depth a site.
 */
#define SF_SITE_DEPTH 8

/* The site of a call: EXE (a path; only its last component counts) and its STACK. */
uint64_t sf_site_key(const char *exe, const struct sf_frames *stack);

/* The site of the call VIEW shows, from its exe and stack (an unwind). */
uint64_t sf_site_of(const struct sf_call_view *view);

/*
 * The sites a record run has listed, each with the rule and the syscall
 * it was seen for: an open-addressing set that grows.
 */
struct sf_site_set {
	uint64_t *v;             /* 0: a free slot (a key of 0 is stored as 1) */
	size_t cap, used;
};

/* Adds KEY; true when it was not there yet.  Out of memory counts as new: a point too many. */
bool sf_site_set_add(struct sf_site_set *s, uint64_t key);
void sf_site_set_release(struct sf_site_set *s);

/* KEY combined with what else tells two points apart: the rule and the call. */
uint64_t sf_site_point_key(uint64_t site, unsigned rule, int abi, unsigned nr);

#endif
