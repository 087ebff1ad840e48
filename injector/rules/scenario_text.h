/*
 * A scenario's text, as libconfig is given it: the file and every file it
 * @includes, read here with input.h's checks, joined into one text with a
 * map back to each file's own lines, and every integer literal checked
 * against what libconfig 1.5 would make of it.  Never prints.
 */
#ifndef SF_SCENARIO_TEXT_H
#define SF_SCENARIO_TEXT_H

#include <stddef.h>

/* From line FIRST of the joined text on, the lines of FILE from FILE_LINE. */
struct sf_text_piece {
	unsigned first;
	const char *file;        /* points into sf_scenario_text.files */
	unsigned file_line;
};

/* One problem: where ("FILE" or "FILE:LINE") and what. */
struct sf_text_problem {
	char origin[512];
	char why[512];
};

struct sf_scenario_text {
	char *text;              /* joined, NUL-terminated: for config_read_string() */
	size_t len, size;
	unsigned line;           /* the joined text's last line, from 1 */
	struct sf_text_piece *pieces;
	size_t npieces;
	char **files;            /* the paths read, the scenario's first */
	size_t nfiles;
	struct sf_text_problem bad_int;   /* the first literal libconfig would change; origin "" if none */
};

/*
 * Reads PATH and its includes into T.  An @include names a file relative
 * to the directory of the file that holds it (or an absolute path), at most
 * 10 deep as in libconfig.  Returns 0, or -errno with P set: PATH
 * unreadable (-ENOENT, -EISDIR, ...), not a regular file (-EINVAL), over
 * SF_INPUT_SCENARIO_MAX in all (-EFBIG), a NUL byte or a bad include
 * (-EINVAL), no memory (-ENOMEM).  Literals out of range are not an error
 * here (a syntax error comes first): see T->bad_int.
 */
int sf_scenario_text_read(struct sf_scenario_text *t, const char *path, struct sf_text_problem *p);

/* "FILE:LINE" of line LINE of the joined text. */
void sf_scenario_text_origin(const struct sf_scenario_text *t, unsigned line, char *buf, size_t size);

void sf_scenario_text_release(struct sf_scenario_text *t);

#endif
