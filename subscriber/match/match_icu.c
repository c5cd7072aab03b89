/* ICU through dlopen (match_icu.h). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#include "match/match_icu.h"

#define TEXT(x) #x
#define NAME(x) TEXT(x)  /* utrans_openU -> "utrans_openU_72": ICU's renaming */
#define SONAME(lib) "lib" lib ".so." NAME(U_ICU_VERSION_MAJOR_NUM)

static struct match_icu icu;
static const struct match_icu *loaded;
static char why[160];

static void *symbol(void *lib, const char *name)
{
	void *f = dlsym(lib, name);
	if (!f && why[0] == '\0')
		snprintf(why, sizeof(why), "ICU: %s missing from %s and its libraries", name, SONAME("icui18n"));
	return f;
}

/* dlsym()'s object pointer stored into a function pointer the way POSIX's
 * own dlsym() example does (ISO C has no cast between the two). */
#define LOAD(lib, field, fn) (*(void **)&icu.field = symbol(lib, NAME(fn)))

static void load(void)
{
	/* libicui18n needs libicuuc, which the loader brings; both stay. */
	void *lib = dlopen(SONAME("icui18n"), RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		snprintf(why, sizeof(why), "ICU: %s", dlerror());
		return;
	}
	LOAD(lib, uastrcpy, u_uastrcpy);
	LOAD(lib, error_name, u_errorName);
	LOAD(lib, open, utrans_openU);
	LOAD(lib, close, utrans_close);
	LOAD(lib, trans_uchars, utrans_transUChars);
	LOAD(lib, from_utf8, u_strFromUTF8);
	LOAD(lib, to_utf8, u_strToUTF8);
	LOAD(lib, res_open, ures_openDirect);
	LOAD(lib, res_by_key, ures_getByKey);
	LOAD(lib, res_by_index, ures_getByIndex);
	LOAD(lib, res_string, ures_getStringByKey);
	LOAD(lib, res_close, ures_close);
	LOAD(lib, nfd, unorm2_getNFDInstance);
	LOAD(lib, normalize, unorm2_normalize);
	if (why[0] == '\0')
		loaded = &icu;
}

const struct match_icu *match_icu(char *err, size_t errsize)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, load);
	if (!loaded)
		snprintf(err, errsize, "%s", why);
	return loaded;
}
