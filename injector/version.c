/*
 * sf_version(): the library's own version, which may be newer than the
 * header a program was built with.  The build takes the soname from the
 * same SF_VERSION_* macros.
 */
#include "sysfault/sysfault.h"

#define SF_STR(x) #x
#define SF_XSTR(x) SF_STR(x)

const char *sf_version(void)
{
	return SF_XSTR(SF_VERSION_MAJOR) "." SF_XSTR(SF_VERSION_MINOR) "." SF_XSTR(SF_VERSION_MICRO);
}
