/*
 * lcov tracefiles read back, and the lines only fault runs reached or no
 * run reached, which explore --coverage reports.  Everything here works on
 * what lcov wrote; the counting itself is gcov's and lcov's.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "explore/coverage_info.h"

/* ---- reading ---- */

static struct sf_trace_file *file_of(struct sf_trace *t, const char *path)
{
	/* a source file (a header) has a section per object that includes it */
	for (size_t i = 0; i < t->nfiles; i++)
		if (!strcmp(t->files[i].path, path))
			return &t->files[i];
	if (t->nfiles == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		struct sf_trace_file *v = realloc(t->files, cap * sizeof(*v));
		if (!v)
			return NULL;
		t->files = v;
		t->cap = cap;
	}
	struct sf_trace_file *f = &t->files[t->nfiles];
	memset(f, 0, sizeof(*f));
	if (!(f->path = strdup(path)))
		return NULL;
	t->nfiles++;
	return f;
}

static struct sf_trace_fn *fn_named(struct sf_trace_file *f, const char *name)
{
	for (size_t i = 0; i < f->nfns; i++)
		if (!strcmp(f->fns[i].name, name))
			return &f->fns[i];
	return NULL;
}

static int add_line(struct sf_trace_file *f, unsigned line, uint64_t count)
{
	if (f->nlines == f->lines_cap) {
		size_t cap = f->lines_cap ? 2 * f->lines_cap : 64;
		struct sf_trace_line *v = realloc(f->lines, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		f->lines = v;
		f->lines_cap = cap;
	}
	f->lines[f->nlines++] = (struct sf_trace_line){ .line = line, .count = count };
	return 0;
}

static int add_fn(struct sf_trace_file *f, unsigned line, unsigned end, const char *name)
{
	if (fn_named(f, name))
		return 0;
	if (f->nfns == f->fns_cap) {
		size_t cap = f->fns_cap ? 2 * f->fns_cap : 16;
		struct sf_trace_fn *v = realloc(f->fns, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		f->fns = v;
		f->fns_cap = cap;
	}
	struct sf_trace_fn *fn = &f->fns[f->nfns];
	*fn = (struct sf_trace_fn){ .line = line, .end = end, .name = strdup(name) };
	if (!fn->name)
		return -ENOMEM;
	f->nfns++;
	return 0;
}

/* A count as gcov may print it: a negative one (a known gcov fault) is no run. */
static bool parse_count(const char *s, char **end, uint64_t *count)
{
	errno = 0;
	long long v = strtoll(s, end, 10);
	if (*end == s || errno)
		return false;
	*count = v > 0 ? (uint64_t)v : 0;
	return true;
}

static bool parse_unsigned(const char *s, char **end, unsigned *v)
{
	errno = 0;
	unsigned long n = strtoul(s, end, 10);
	if (*end == s || errno || n > UINT32_MAX)
		return false;
	*v = (unsigned)n;
	return true;
}

/* "FN:LINE,NAME" (lcov 1.x) or "FN:LINE,END,NAME" (lcov 2). */
static int parse_fn(struct sf_trace_file *f, const char *s)
{
	unsigned line, end = 0;
	char *rest;

	if (!parse_unsigned(s, &rest, &line) || *rest++ != ',')
		return -EINVAL;
	char *after;
	if (parse_unsigned(rest, &after, &end) && *after == ',')
		rest = after + 1;
	else
		end = 0;
	return *rest ? add_fn(f, line, end, rest) : -EINVAL;
}

static int parse_fnda(struct sf_trace_file *f, const char *s)
{
	uint64_t count;
	char *rest;

	if (!parse_count(s, &rest, &count) || *rest++ != ',' || !*rest)
		return -EINVAL;
	struct sf_trace_fn *fn = fn_named(f, rest);
	if (fn)
		fn->count += count;
	return 0;
}

/* "DA:LINE,COUNT[,CHECKSUM]" */
static int parse_da(struct sf_trace_file *f, const char *s)
{
	unsigned line;
	uint64_t count;
	char *rest;

	if (!parse_unsigned(s, &rest, &line) || *rest++ != ',' || !parse_count(rest, &rest, &count) ||
	    (*rest && *rest != ','))
		return -EINVAL;
	return add_line(f, line, count);
}

static int parse_record(struct sf_trace *t, struct sf_trace_file **f, char *line)
{
	line[strcspn(line, "\n")] = 0;
	if (!strncmp(line, "SF:", 3)) {
		*f = file_of(t, line + 3);
		return *f ? 0 : -ENOMEM;
	}
	if (!strcmp(line, "end_of_record")) {
		*f = NULL;
		return 0;
	}
	/* TN, the summaries (FNF, LH, ...) and branches are not needed here */
	bool is_fn = !strncmp(line, "FN:", 3), is_fnda = !strncmp(line, "FNDA:", 5),
	     is_da = !strncmp(line, "DA:", 3);
	if (!is_fn && !is_fnda && !is_da)
		return 0;
	if (!*f)
		return -EINVAL;   /* a record outside any SF section */
	return is_fn ? parse_fn(*f, line + 3) : is_fnda ? parse_fnda(*f, line + 5) : parse_da(*f, line + 3);
}

static int by_line(const void *a, const void *b)
{
	const struct sf_trace_line *x = a, *y = b;
	return (x->line > y->line) - (x->line < y->line);
}

static int fn_by_line(const void *a, const void *b)
{
	const struct sf_trace_fn *x = a, *y = b;
	return (x->line > y->line) - (x->line < y->line);
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct sf_trace_file *)a)->path, ((const struct sf_trace_file *)b)->path);
}

/* Lines in order, one entry per line with the counts of every section summed. */
static void settle(struct sf_trace_file *f)
{
	size_t n = 0;

	/* qsort's array must not be NULL, even for no element */
	if (f->nlines > 1)
		qsort(f->lines, f->nlines, sizeof(*f->lines), by_line);
	for (size_t i = 0; i < f->nlines; i++) {
		if (n && f->lines[n - 1].line == f->lines[i].line)
			f->lines[n - 1].count += f->lines[i].count;
		else
			f->lines[n++] = f->lines[i];
	}
	f->nlines = n;
	if (f->nfns > 1)
		qsort(f->fns, f->nfns, sizeof(*f->fns), fn_by_line);
}

int sf_trace_parse(struct sf_trace *t, FILE *in, unsigned long *lineno)
{
	struct sf_trace_file *f = NULL;
	char *line = NULL;
	size_t size = 0;
	unsigned long n = 0;
	int rc = 0;

	memset(t, 0, sizeof(*t));
	while (!rc && getline(&line, &size, in) >= 0) {
		n++;
		rc = parse_record(t, &f, line);
	}
	free(line);
	if (!rc && ferror(in))
		rc = -EIO;
	if (lineno)
		*lineno = n;
	for (size_t i = 0; !rc && i < t->nfiles; i++)
		settle(&t->files[i]);
	if (!rc && t->nfiles > 1)
		qsort(t->files, t->nfiles, sizeof(*t->files), by_path);
	if (rc)
		sf_trace_release(t);
	return rc;
}

int sf_trace_read(struct sf_trace *t, const char *path)
{
	FILE *in = fopen(path, "re");

	memset(t, 0, sizeof(*t));
	if (!in)
		return -errno;
	int rc = sf_trace_parse(t, in, NULL);
	fclose(in);
	return rc;
}

void sf_trace_release(struct sf_trace *t)
{
	for (size_t i = 0; i < t->nfiles; i++) {
		struct sf_trace_file *f = &t->files[i];
		for (size_t k = 0; k < f->nfns; k++)
			free(f->fns[k].name);
		free(f->fns);
		free(f->lines);
		free(f->path);
	}
	free(t->files);
	memset(t, 0, sizeof(*t));
}

/* ---- lookups ---- */

static const struct sf_trace_file *find_file(const struct sf_trace *t, const char *path)
{
	struct sf_trace_file key = { .path = (char *)path };
	return t->nfiles ? bsearch(&key, t->files, t->nfiles, sizeof(key), by_path) : NULL;
}

/* The count of LINE in F: 0 when F does not have it (or there is no F). */
static uint64_t line_count(const struct sf_trace_file *f, unsigned line)
{
	struct sf_trace_line key = { .line = line };
	const struct sf_trace_line *l = f && f->nlines ? bsearch(&key, f->lines, f->nlines, sizeof(key), by_line) : NULL;
	return l ? l->count : 0;
}

static uint64_t fn_count(const struct sf_trace_file *f, const char *name)
{
	for (size_t i = 0; f && i < f->nfns; i++)
		if (!strcmp(f->fns[i].name, name))
			return f->fns[i].count;
	return 0;
}

/* The function LINE is in: the last one starting at or before it (and not ended before it). */
static const struct sf_trace_fn *fn_at(const struct sf_trace_file *f, unsigned line)
{
	const struct sf_trace_fn *best = NULL;

	for (size_t i = 0; i < f->nfns && f->fns[i].line <= line; i++)
		best = &f->fns[i];
	return best && (!best->end || line <= best->end) ? best : NULL;
}

/* ---- what only the fault runs reached ---- */

static bool is_fault_only_line(const struct sf_trace_file *clean, const struct sf_trace_line *l)
{
	return l->count && !line_count(clean, l->line);
}

static bool is_fault_only_fn(const struct sf_trace_file *clean, const struct sf_trace_fn *fn)
{
	return fn->count && !fn_count(clean, fn->name);
}

static void write_fault_only_file(const struct sf_trace_file *clean, const struct sf_trace_file *f,
				  FILE *out, size_t nlines, size_t nfns)
{
	fprintf(out, "TN:fault_only\nSF:%s\n", f->path);
	for (size_t i = 0; i < f->nfns; i++)
		if (is_fault_only_fn(clean, &f->fns[i]))
			fprintf(out, "FN:%u,%s\n", f->fns[i].line, f->fns[i].name);
	for (size_t i = 0; i < f->nfns; i++)
		if (is_fault_only_fn(clean, &f->fns[i]))
			fprintf(out, "FNDA:%" PRIu64 ",%s\n", f->fns[i].count, f->fns[i].name);
	fprintf(out, "FNF:%zu\nFNH:%zu\n", nfns, nfns);
	for (size_t i = 0; i < f->nlines; i++)
		if (is_fault_only_line(clean, &f->lines[i]))
			fprintf(out, "DA:%u,%" PRIu64 "\n", f->lines[i].line, f->lines[i].count);
	fprintf(out, "LF:%zu\nLH:%zu\nend_of_record\n", nlines, nlines);
}

void sf_trace_write_fault_only(const struct sf_trace *clean, const struct sf_trace *faults,
			       FILE *out, struct sf_trace_sums *sums)
{
	for (size_t i = 0; i < faults->nfiles; i++) {
		const struct sf_trace_file *f = &faults->files[i], *c = find_file(clean, f->path);
		size_t nlines = 0, nfns = 0;
		for (size_t k = 0; k < f->nlines; k++)
			nlines += is_fault_only_line(c, &f->lines[k]);
		for (size_t k = 0; k < f->nfns; k++)
			nfns += is_fault_only_fn(c, &f->fns[k]);
		if (!nlines && !nfns)
			continue;
		write_fault_only_file(c, f, out, nlines, nfns);
		sums->fault_only_lines += nlines;
		sums->fault_only_fns += nfns;
	}
}

/* ---- what no run reached ---- */

/* A run of lines no run reached, in one function. */
struct block {
	const struct sf_trace_fn *fn;   /* NULL: no block open */
	unsigned first, last;
	size_t nlines;
};

static void flush(struct block *b, const char *path, FILE *out, struct sf_trace_sums *sums)
{
	if (!b->fn)
		return;
	if (b->first == b->last)
		fprintf(out, "%s:%u: %s: 1 line\n", path, b->first, b->fn->name);
	else
		fprintf(out, "%s:%u-%u: %s: %zu lines\n", path, b->first, b->last, b->fn->name, b->nlines);
	sums->never_lines += b->nlines;
	sums->never_blocks++;
	b->fn = NULL;
}

static void write_never_reached_file(const struct sf_trace_file *clean, const struct sf_trace_file *f,
				     FILE *out, struct sf_trace_sums *sums)
{
	struct block b = { .fn = NULL };

	for (size_t i = 0; i < f->nlines; i++) {
		const struct sf_trace_line *l = &f->lines[i];
		const struct sf_trace_fn *fn = fn_at(f, l->line);
		bool is_never = !l->count && !line_count(clean, l->line) && fn && fn->count;
		if (!is_never || fn != b.fn)
			flush(&b, f->path, out, sums);
		if (!is_never)
			continue;
		if (!b.fn)
			b = (struct block){ .fn = fn, .first = l->line };
		b.last = l->line;
		b.nlines++;
	}
	flush(&b, f->path, out, sums);
}

void sf_trace_write_never_reached(const struct sf_trace *clean, const struct sf_trace *faults,
				  FILE *out, struct sf_trace_sums *sums)
{
	for (size_t i = 0; i < faults->nfiles; i++)
		write_never_reached_file(find_file(clean, faults->files[i].path), &faults->files[i], out, sums);
}
