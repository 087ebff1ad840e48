/*
 * Diagnostics: formats every message once and hands it to a sink that a
 * test can replace (sf_diag_set_sink), so no other module writes to stderr.
 */
#include "diag.h"

#include <stdio.h>
#include <string.h>

#include "sysfault/sysfault.h"

static void (*diag_sink)(const char *line);
static int diag_verbosity;

void sf_diag_set_sink(void (*sink)(const char *line))
{
	diag_sink = sink;
}

void sf_diag_set_verbosity(int level)
{
	diag_verbosity = level;
}

int sf_diag_verbosity(void)
{
	return diag_verbosity;
}

static void emit(const char *prefix, const char *fmt, va_list ap)
{
	char line[1024];
	size_t n = strlen(prefix);

	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	memcpy(line, prefix, n);
	vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	if (diag_sink) {
		diag_sink(line);
		return;
	}
	fprintf(stderr, "%s\n", line);
	fflush(stderr);
}

void sf_user_error(const char *origin, const char *fmt, ...)
{
	char prefix[512];
	va_list ap;

	snprintf(prefix, sizeof(prefix), "%s: ", origin);
	va_start(ap, fmt);
	emit(prefix, fmt, ap);
	va_end(ap);
}

void sf_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit("sysfault: ", fmt, ap);
	va_end(ap);
}

void sf_warning(const char *fmt, ...)
{
	va_list ap;

	if (diag_verbosity < 0)
		return;
	va_start(ap, fmt);
	emit("sysfault: warning: ", fmt, ap);
	va_end(ap);
}

void sf_info(const char *fmt, ...)
{
	va_list ap;

	if (diag_verbosity < 0)
		return;
	va_start(ap, fmt);
	emit("sysfault: ", fmt, ap);
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
