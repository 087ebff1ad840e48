/*
 * lcov tracefiles (the format geninfo(1) describes under FILES), read into
 * lines and functions per source file, and the two sets explore --coverage
 * reports, which lcov 1.16 has no operation for: the lines only the fault
 * runs reached, and the lines no run reached in functions the fault runs
 * entered.  It only reads what lcov wrote: it never measures anything.
 */
#ifndef SF_EXPLORE_COVERAGE_INFO_H
#define SF_EXPLORE_COVERAGE_INFO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct sf_trace_line {
	unsigned line;
	uint64_t count;          /* times it ran (DA) */
};

struct sf_trace_fn {
	unsigned line;           /* where it starts (FN) */
	unsigned end;            /* where it ends: lcov 2's FN:START,END,NAME; 0 when not said */
	char *name;
	uint64_t count;          /* times it was entered (FNDA) */
};

/* One source file (SF), its records of every section merged, lines and functions in line order. */
struct sf_trace_file {
	char *path;
	struct sf_trace_line *lines;
	size_t nlines, lines_cap;
	struct sf_trace_fn *fns;
	size_t nfns, fns_cap;
};

struct sf_trace {
	struct sf_trace_file *files;   /* in path order */
	size_t nfiles, cap;
};

/* Reads a tracefile into T (zeroed first); 0, -errno, or -EINVAL for a malformed record. */
int sf_trace_read(struct sf_trace *t, const char *path);
/* The same from a stream; LINENO, when not NULL, gets the line of a malformed record. */
int sf_trace_parse(struct sf_trace *t, FILE *in, unsigned long *lineno);
void sf_trace_release(struct sf_trace *t);

struct sf_trace_sums {
	size_t fault_only_lines;  /* reached by a fault run, not by the clean run */
	size_t fault_only_fns;
	size_t never_lines;       /* reached by no run, in a function some fault run entered */
	size_t never_blocks;      /* runs of such lines with no reached line between them */
};

/*
 * Writes to OUT a tracefile (test name fault_only) of the lines and
 * functions FAULTS has with a count and CLEAN has without one (or has not
 * at all), with the fault runs' counts; adds them up in SUMS.
 */
void sf_trace_write_fault_only(const struct sf_trace *clean, const struct sf_trace *faults,
			       FILE *out, struct sf_trace_sums *sums);
/*
 * Writes to OUT one line per block no run reached, "FILE:FIRST-LAST:
 * FUNCTION: N lines", in functions FAULTS says were entered: a function is
 * the one whose start is the nearest at or above the line (lcov 1.x
 * records no end).  Adds them up in SUMS.
 */
void sf_trace_write_never_reached(const struct sf_trace *clean, const struct sf_trace *faults,
				  FILE *out, struct sf_trace_sums *sums);

#endif
