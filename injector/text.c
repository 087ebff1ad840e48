/*
 * Text for terminals: control characters made visible (text.h).  One
 * policy for every text output; it never changes what JSON outputs carry.
 */
#include "text.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "json.h"

/*
 * The bytes that stand for the character at S (N bytes left) in *OUT, and
 * their count.  A terminal acts on C0 and C1 controls (ECMA-48: ESC, and
 * CSI as U+009B, start escape sequences) and on DEL; a byte outside UTF-8
 * can be a C1 control to an 8-bit terminal.
 */
static size_t visible(const char *s, size_t n, char out[16], size_t *len)
{
	uint32_t cp;
	size_t used = sf_utf8_decode(s, n, &cp);
	bool is_control = used == 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f);

	if (!is_control) {
		memcpy(out, s, used);
		*len = used;
		return used;
	}
	if (used == 1 && (cp == '\n' || cp == '\r' || cp == '\t')) {
		out[0] = '\\';
		out[1] = cp == '\n' ? 'n' : cp == '\r' ? 'r' : 't';
		*len = 2;
		return 1;
	}
	used = used ? used : 1;
	*len = 0;
	for (size_t i = 0; i < used; i++)
		*len += (size_t)snprintf(out + *len, 16 - *len, "\\x%02x", (unsigned char)s[i]);
	return used;
}

void sf_text_fputs(const char *s, FILE *out)
{
	size_t n = strlen(s);
	char piece[16];

	for (size_t i = 0, len; i < n;) {
		i += visible(s + i, n - i, piece, &len);
		fwrite(piece, 1, len, out);
	}
}

char *sf_text_escape(const char *s, char *buf, size_t size)
{
	size_t n = strlen(s), at = 0;
	char piece[16];

	for (size_t i = 0, len; i < n;) {
		i += visible(s + i, n - i, piece, &len);
		if (at + len >= size)
			break;
		memcpy(buf + at, piece, len);
		at += len;
	}
	if (size)
		buf[at < size ? at : size - 1] = '\0';
	return buf;
}
