/*
 * Text for terminals: what sysfault prints for people (the text summary,
 * `check`, explore's summary, every diagnostic line) shows control
 * characters, escape sequences and bytes that are not UTF-8 as visible
 * escapes, so that no name, path or spec can forge a line or drive the
 * terminal.  Machine-readable outputs go through json.h instead.
 */
#ifndef SF_TEXT_H
#define SF_TEXT_H

#include <stddef.h>
#include <stdio.h>

/*
 * S made visible: \n, \r and \t as those two characters, every other C0
 * control, DEL, C1 control (U+0080..U+009F) and byte that is not part of
 * well-formed UTF-8 as \xHH per byte (ESC is \x1b).  Everything else,
 * backslash included, is kept as it is: the text is for reading, not for
 * decoding (the JSON outputs are exact).
 */
/* Writes S so to OUT. */
void sf_text_fputs(const char *s, FILE *out);
/* Writes S so to BUF (SIZE bytes, always NUL-terminated, cut short if need be); returns BUF. */
char *sf_text_escape(const char *s, char *buf, size_t size);

#endif
