/*
 * Where ready-made scenarios are, in order: the executable's own tree
 * first, EXE/../share/sysfault/scenarios (an installation, staged or moved
 * too) and EXE/../scenarios (the source tree of a checkout's
 * build/sysfault), then the data directory compiled in (SF_SCENARIO_DIR,
 * from DATADIR).  The first holding a name wins, so a checkout or an
 * installation never takes another one's files.  Only paths are decided here.
 */
#include "command/scenario_find.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command/cli.h"
#include "install_dirs.h"
#include "rules/suggest.h"
#include "text.h"

#define MAX_DIRS 3

struct scenario_dirs {
	char dir[MAX_DIRS][PATH_MAX];
	unsigned count;
};

/* DIR, resolved when it exists, unless an earlier place is the same directory. */
static void dirs_add(struct scenario_dirs *d, const char *dir, bool keep_missing)
{
	char real[PATH_MAX];

	if (!realpath(dir, real)) {
		if (!keep_missing)
			return;
		snprintf(real, sizeof(real), "%s", dir);
	}
	for (unsigned i = 0; i < d->count; i++)
		if (!strcmp(d->dir[i], real))
			return;
	snprintf(d->dir[d->count++], PATH_MAX, "%s", real);
}

static void dirs_find(struct scenario_dirs *d)
{
	char exe[PATH_MAX], path[PATH_MAX + 32];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	d->count = 0;
	char *slash = n > 0 ? memrchr(exe, '/', (size_t)n) : NULL;
	if (slash)
		*slash = '\0';
	else
		exe[0] = '\0';
	if (exe[0]) {
		snprintf(path, sizeof(path), "%s/../share/sysfault/scenarios", exe);
		dirs_add(d, path, false);
		snprintf(path, sizeof(path), "%s/../scenarios", exe);
		dirs_add(d, path, false);
	}
	/* Named even when it is missing: it says where `make install` puts them. */
	dirs_add(d, SF_SCENARIO_DIR, true);
}

static bool is_regular(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool has_cfg_suffix(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && !strcmp(name + n - 4, ".cfg");
}

/* DIR/NAME, or DIR/NAME.cfg, into PATH when it is a regular file. */
static bool find_in(const char *dir, const char *name, char *path, size_t size)
{
	if (has_cfg_suffix(name)) {
		snprintf(path, size, "%s/%s", dir, name);
		return is_regular(path);
	}
	snprintf(path, size, "%s/%s.cfg", dir, name);
	return is_regular(path);
}

/* ---- names, for "did you mean" and the list ---- */

struct scenario_names {
	char **name;
	size_t count, cap;
};

static bool names_has(const struct scenario_names *s, const char *name)
{
	for (size_t i = 0; i < s->count; i++)
		if (!strcmp(s->name[i], name))
			return true;
	return false;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends DIR's *.cfg names (without .cfg) that S lacks, sorted; returns how many. */
static size_t names_add_dir(struct scenario_names *s, const char *dir)
{
	DIR *dp = opendir(dir);
	size_t first = s->count;
	struct dirent *e;
	char path[PATH_MAX + 256];

	while (dp && (e = readdir(dp))) {
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (e->d_name[0] == '.' || !has_cfg_suffix(e->d_name) || !is_regular(path))
			continue;
		char *name = strndup(e->d_name, strlen(e->d_name) - 4);
		if (!name || names_has(s, name)) {
			free(name);
			continue;
		}
		if (s->count == s->cap) {
			size_t cap = s->cap ? s->cap * 2 : 16;
			char **v = realloc(s->name, cap * sizeof(*v));
			if (!v) {
				free(name);
				break;
			}
			s->name = v;
			s->cap = cap;
		}
		s->name[s->count++] = name;
	}
	if (dp)
		closedir(dp);
	if (s->count - first > 1)   /* an empty directory leaves s->name NULL, which qsort must not get */
		qsort(s->name + first, s->count - first, sizeof(*s->name), compare_names);
	return s->count - first;
}

static void names_release(struct scenario_names *s)
{
	for (size_t i = 0; i < s->count; i++)
		free(s->name[i]);
	free(s->name);
}

/* ---- lookup ---- */

/* The places as one phrase for the message: "A, B or C". */
static void dirs_phrase(const struct scenario_dirs *d, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < d->count && used < size; i++) {
		const char *sep = i == 0 ? "" : i + 1 == d->count ? " or " : ", ";
		int n = snprintf(buf + used, size - used, "%s%s", sep, d->dir[i]);
		used += n > 0 ? (size_t)n : 0;
	}
}

static int not_found(const char *arg, const char *option, const struct scenario_dirs *d)
{
	struct scenario_names names = { 0 };
	struct sf_suggestion sg;
	char where[MAX_DIRS * (PATH_MAX + 8)];
	char wanted[NAME_MAX + 1];

	/* "disk-ful.cfg" is compared as "disk-ful", the form the list shows. */
	snprintf(wanted, sizeof(wanted), "%.*s", (int)(strlen(arg) - (has_cfg_suffix(arg) ? 4 : 0)), arg);
	for (unsigned i = 0; i < d->count; i++)
		names_add_dir(&names, d->dir[i]);
	sf_suggestion_init(&sg, wanted);
	for (size_t i = 0; i < names.count; i++)
		sf_suggestion_offer(&sg, names.name[i], names.name[i]);
	dirs_phrase(d, where, sizeof(where));
	int rc;
	if (sg.best)
		rc = sf_cli_usage("%s%s'%s': no such file, nor a ready-made scenario of that name in %s; did you mean '%s'?",
				  option ? option : "", option ? " " : "", arg, where, sg.best);
	else
		rc = sf_cli_usage("%s%s'%s': no such file, nor a ready-made scenario of that name in %s (sysfault list scenarios)",
				  option ? option : "", option ? " " : "", arg, where);
	names_release(&names);
	return rc;
}

int sf_cli_scenario_load(struct sf_scenario *sc, const char *arg, const char *option)
{
	char path[PATH_MAX + NAME_MAX + 8];
	struct stat st;
	struct scenario_dirs d;

	/* A path, or a file of that name here, is the file: as before names existed. */
	if (strchr(arg, '/') || !*arg || lstat(arg, &st) == 0 || errno != ENOENT)
		return sf_scenario_load_file(sc, arg) < 0 ? SF_EXIT_USAGE : 0;
	dirs_find(&d);
	for (unsigned i = 0; i < d.count; i++)
		if (find_in(d.dir[i], arg, path, sizeof(path)))
			return sf_scenario_load_file(sc, path) < 0 ? SF_EXIT_USAGE : 0;
	return not_found(arg, option, &d);
}

/* ---- the list ---- */

/* The first line of PATH if it is a comment, without "//", "#" or a "NAME.cfg:" label. */
static void describe(const char *path, const char *file, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	char line[512] = "";

	if (f) {
		if (!fgets(line, sizeof(line), f))
			line[0] = '\0';
		fclose(f);
	}
	line[strcspn(line, "\r\n")] = '\0';
	char *s = line;
	if (!strncmp(s, "//", 2))
		s += 2;
	else if (*s == '#')
		s++;
	else
		s = NULL;
	if (s) {
		s += strspn(s, " \t");
		size_t n = strlen(file);
		if (!strncmp(s, file, n) && s[n] == ':')
			s += n + 1 + strspn(s + n + 1, " \t");
		size_t len = strlen(s);
		while (len && (s[len - 1] == '.' || s[len - 1] == ' '))
			s[--len] = '\0';
	}
	snprintf(buf, size, "%s", s && *s ? s : "(no description: the file does not start with a comment)");
}

void sf_cli_scenarios_list(FILE *out)
{
	struct scenario_names names = { 0 };
	struct scenario_dirs d;

	dirs_find(&d);
	for (unsigned i = 0; i < d.count; i++) {
		size_t first = names.count;
		if (!names_add_dir(&names, d.dir[i]))
			continue;
		fputs("# ", out);
		sf_text_fputs(d.dir[i], out);
		fputc('\n', out);
		for (size_t k = first; k < names.count; k++) {
			char path[PATH_MAX + NAME_MAX + 8], file[NAME_MAX + 8], what[512], shown[4 * NAME_MAX];
			snprintf(file, sizeof(file), "%s.cfg", names.name[k]);
			snprintf(path, sizeof(path), "%s/%s", d.dir[i], file);
			describe(path, file, what, sizeof(what));
			fprintf(out, "%-16s ", sf_text_escape(names.name[k], shown, sizeof(shown)));
			sf_text_fputs(what, out);
			fputc('\n', out);
		}
	}
	names_release(&names);
}
