/*
 * Output files: opened relative to their directory, so that the directory
 * whose sticky bit is checked is the one the file is created in.  In a
 * sticky directory only a file's owner, the directory's owner or root may
 * rename or remove it (inode(7), S_ISVTX): a link owned by one of those
 * cannot be swapped between the look and the open.
 */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SF_OUTFILE_FLAGS (O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC)

/* PATH's directory, opened O_PATH, and its last component; -errno when there is none to open. */
static int open_parent(const char *path, const char **base)
{
	const char *slash = strrchr(path, '/');

	*base = slash ? slash + 1 : path;
	if (!**base)
		return -EISDIR;
	/* "f" is in ".", "/f" in "/". */
	char *dir = !slash ? strdup(".") : strndup(path, slash == path ? 1 : (size_t)(slash - path));
	if (!dir)
		return -ENOMEM;
	int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	int err = errno;
	free(dir);
	if (fd < 0)
		return -err;
	return fd;
}

/* The protected_symlinks rule: where anyone may plant a link, follow only a trusted one. */
static bool is_untrusted_dir(const struct stat *dir)
{
	return (dir->st_mode & S_ISVTX) && (dir->st_mode & S_IWOTH);
}

static bool is_trusted_link(const struct stat *link, const struct stat *dir)
{
	return link->st_uid == geteuid() || link->st_uid == dir->st_uid;
}

static int open_at(int dfd, const char *base, int flags)
{
	int fd = openat(dfd, base, SF_OUTFILE_FLAGS | flags, 0666);

	if (fd < 0)
		return -errno;
	return fd;
}

static int open_in(int dfd, const char *base)
{
	struct stat dir, link;

	if (fstat(dfd, &dir) < 0)
		return -errno;
	if (!is_untrusted_dir(&dir))
		return open_at(dfd, base, 0);
	int fd = open_at(dfd, base, O_NOFOLLOW);
	if (fd != -ELOOP)
		return fd;
	/* ELOOP under O_NOFOLLOW: the last component is a symlink. */
	if (fstatat(dfd, base, &link, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (!S_ISLNK(link.st_mode) || !is_trusted_link(&link, &dir))
		return -EACCES;
	return open_at(dfd, base, 0);
}

int sf_outfile_open(const char *path)
{
	const char *base;
	int dfd = open_parent(path, &base);

	if (dfd < 0)   /* no directory to look at (a trailing '/', a missing one): the kernel's own answer */
		return open_at(AT_FDCWD, path, 0);
	int fd = open_in(dfd, base);
	close(dfd);
	return fd;
}

bool sf_outfile_is_refused_link(const char *path)
{
	const char *base;
	struct stat dir, link;
	int dfd = open_parent(path, &base);

	if (dfd < 0)
		return false;
	bool is_refused = fstat(dfd, &dir) == 0 && is_untrusted_dir(&dir) &&
			  fstatat(dfd, base, &link, AT_SYMLINK_NOFOLLOW) == 0 &&
			  S_ISLNK(link.st_mode) && !is_trusted_link(&link, &dir);
	close(dfd);
	return is_refused;
}
