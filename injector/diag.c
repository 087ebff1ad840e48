/*
 * Diagnostics: formats every message once and hands it, with its kind, to
 * the sink (sf_diag_set_sink), so no other module writes to stderr.  Only
 * the default sink adds the "sysfault: " prefix: a caller's sink gets the
 * bare line and decides how to show it.
 */
#include "diag.h"

#include <stdio.h>
#include <string.h>

#include "sysfault/sysfault.h"
#include "text.h"

static sf_diag_sink *diag_sink;
static void *diag_arg;
static int diag_verbosity;

void sf_diag_set_sink(sf_diag_sink *sink, void *arg)
{
	diag_sink = sink;
	diag_arg = sink ? arg : NULL;
}

void sf_diag_set_verbosity(int level)
{
	diag_verbosity = level;
}

int sf_diag_verbosity(void)
{
	return diag_verbosity;
}

void sf_diag_print_default(enum sf_diag_kind kind, const char *line)
{
	static const char *const prefix[] = {
		[SF_DIAG_INPUT] = "", [SF_DIAG_ERROR] = "sysfault: ",
		[SF_DIAG_WARNING] = "sysfault: warning: ", [SF_DIAG_NOTE] = "sysfault: ",
	};
	unsigned k = (unsigned)kind < sizeof(prefix) / sizeof(prefix[0]) ? (unsigned)kind : SF_DIAG_ERROR;

	fprintf(stderr, "%s%s\n", prefix[k], line);
	fflush(stderr);
}

void sf_diag_emit(enum sf_diag_kind kind, const char *line)
{
	if (diag_sink)
		diag_sink(kind, line, diag_arg);
	else
		sf_diag_print_default(kind, line);
}

/*
 * Messages echo what the user wrote (a spec, a path, a name): made visible
 * here (text.h), once, so that a newline or an escape sequence in them can
 * neither forge a second line nor reach the terminal.
 */
static void emit(enum sf_diag_kind kind, const char *origin, const char *fmt, va_list ap)
	SF_PRINTF(3, 0);

static void emit(enum sf_diag_kind kind, const char *origin, const char *fmt, va_list ap)
{
	char line[1024], shown[2048];
	int n = origin ? snprintf(line, sizeof(line), "%s: ", origin) : 0;

	if (n < 0 || (size_t)n >= sizeof(line))
		n = 0;
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	sf_diag_emit(kind, sf_text_escape(line, shown, sizeof(shown)));
}

void sf_user_error(const char *origin, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(SF_DIAG_INPUT, origin, fmt, ap);
	va_end(ap);
}

void sf_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(SF_DIAG_ERROR, NULL, fmt, ap);
	va_end(ap);
}

void sf_warning(const char *fmt, ...)
{
	va_list ap;

	if (diag_verbosity < 0)
		return;
	va_start(ap, fmt);
	emit(SF_DIAG_WARNING, NULL, fmt, ap);
	va_end(ap);
}

void sf_info(const char *fmt, ...)
{
	va_list ap;

	if (diag_verbosity < 0)
		return;
	va_start(ap, fmt);
	emit(SF_DIAG_NOTE, NULL, fmt, ap);
	va_end(ap);
}

int sf_why(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -1;
}
