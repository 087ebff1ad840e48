/*
 * Text and JSON shared by every machine-readable output.  No output may
 * carry a byte that is not valid UTF-8: see sf_utf8_clean().
 */
#ifndef SF_JSON_H
#define SF_JSON_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "rules/filter.h"

/*
 * The well-formed UTF-8 sequence at S (N bytes available): its length, with
 * its code point in *CP; 0 when S does not start one (a stray continuation
 * byte, a sequence cut short, an overlong form, a surrogate, or beyond
 * U+10FFFF: everything jansson and XML parsers refuse).
 */
size_t sf_utf8_decode(const char *s, size_t n, uint32_t *cp);
/*
 * S as valid UTF-8, malloc'd: each byte that is not part of a well-formed
 * sequence becomes U+FFFD.  The one policy for every JSON and XML output;
 * NULL only when memory runs out.
 */
char *sf_utf8_clean(const char *s);
/* A JSON string of S made valid by sf_utf8_clean; JSON null when S is NULL; NULL on no memory. */
json_t *sf_json_text(const char *s);
/* A JSON integer; above INT64_MAX (only a seed can be) the string of its digits, which no reader rounds. */
json_t *sf_json_u64(uint64_t v);
/*
 * A call's stack (the log's and the record's "stack"): one object per
 * frame, innermost first; what is not known is null.
 */
json_t *sf_json_stack(const struct sf_frames *stack);
/* Writes V compactly as one line; 0 or -errno.  Reals print with at most 15 significant digits. */
int sf_json_write_line(const json_t *v, FILE *out);
/* Same without the newline, for a caller that lays out a document itself. */
int sf_json_write(const json_t *v, FILE *out);

#endif
