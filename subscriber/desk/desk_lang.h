/* The language of each request (issue 17): the account's own choice if
 * it made one on the desk (the header's language buttons, POST /language),
 * else the browser's Accept-Language; before a login, Accept-Language
 * only. The choices are kept in the prefs file beside the accounts file
 * ([desk] users with ".lang"), which only the desk writes (raksha-desk
 * user never does, so an admin's change of the accounts and an officer's
 * change of language cannot lose each other): one account a line,
 *   NAME TAB LANGUAGE
 * after a comment line saying so; mode 0600, replaced whole (temporary
 * file, fsync, rename) at every change. An account deleted keeps its line
 * until the next change, harmlessly (a new account of that name would
 * inherit only a language). */
#ifndef RAKSHA_DESK_LANG_H
#define RAKSHA_DESK_LANG_H

#include <stddef.h>

#include <microhttpd.h>

#include "common/i18n.h"
#include "desk/desk_users.h"

struct desk_html;
struct desk_request;

struct desk_lang_choice {
	char name[DESK_NAME_MAX + 1];
	char tag[I18N_TAG_MAX];
};

struct desk_langs {
	struct desk_lang_choice *v;
	size_t n;
	char *path;  /* the prefs file */
};

/* Reads the catalogs (common/i18n.h, from i18n_localedir()) and @users's
 * prefs file into @l. Neither is needed: without catalogs the desk speaks
 * English, without the file nobody chose yet. Problems are logged. */
void desk_lang_start(struct desk_langs *l, const char *users);

void desk_lang_stop(struct desk_langs *l);

/* Sets the calling thread's language (i18n_use()) for @r: its account's
 * choice, else its Accept-Language. */
void desk_lang_request(struct desk_request *r);

/* The header's language buttons: a form POSTing /language (CSRF token,
 * the page to come back to), one button a language, each in its own name
 * and script. */
void desk_lang_chooser(struct desk_html *h, const struct desk_request *r);

/* POST /language (the route checked the CSRF token): lang=TAG, one of
 * the languages there are, saved for the account, logged; back to the
 * page it came from. */
enum MHD_Result desk_lang_post(struct desk_request *r);

#endif
