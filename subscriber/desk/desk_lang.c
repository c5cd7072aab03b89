#define _GNU_SOURCE /* asprintf */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/file_replace.h"
#include "common/log.h"
#include "desk/desk.h"
#include "desk/desk_form.h"
#include "desk/desk_lang.h"
#include "desk/desk_page.h"

static const char HEADER[] = "# raksha-desk languages chosen on the desk: account name, language; tab-separated\n";

static bool tag_valid(const char *tag)
{
	size_t n = strlen(tag);
	return n > 0 && n < I18N_TAG_MAX && strspn(tag, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_") == n;
}

static struct desk_lang_choice *find(const struct desk_langs *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	return NULL;
}

/* Sets @name's language; false out of memory or past DESK_USERS_MAX. */
static bool set(struct desk_langs *l, const char *name, const char *tag)
{
	struct desk_lang_choice *c = find(l, name);
	if (c == NULL && l->n < DESK_USERS_MAX) {
		struct desk_lang_choice *v = realloc(l->v, (l->n + 1) * sizeof(*v));
		if (v == NULL)
			return false;
		l->v = v;
		c = &l->v[l->n++];
		snprintf(c->name, sizeof(c->name), "%s", name);
	}
	if (c != NULL)
		snprintf(c->tag, sizeof(c->tag), "%s", tag);
	return c != NULL;
}

static void load(struct desk_langs *l)
{
	FILE *f = fopen(l->path, "re");
	char line[128];
	int no = 0;
	if (f == NULL) {
		if (errno != ENOENT)
			log_line(LOG_WARNING, "raksha-desk: %s: %s; the languages chosen are not known", l->path,
				 strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		no++;
		line[strcspn(line, "\n")] = '\0';
		char *tab = strchr(line, '\t');
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (tab != NULL)
			*tab = '\0';
		if (tab == NULL || !desk_user_name_valid(line) || !tag_valid(tab + 1) || !set(l, line, tab + 1))
			log_line(LOG_WARNING, "raksha-desk: %s:%d: not a language line (name, language; "
				 "tab-separated): left out", l->path, no);
	}
	fclose(f);
}

void desk_lang_start(struct desk_langs *l, const char *users)
{
	char err[512];
	memset(l, 0, sizeof(*l));
	int n = i18n_init(i18n_localedir(), err, sizeof(err));
	if (n < 0)
		log_line(LOG_WARNING, "raksha-desk: %s%s", err, n == -ENOENT ? "" : "; that language is English");
	if (asprintf(&l->path, "%s.lang", users) < 0) {
		l->path = NULL;
		return;
	}
	load(l);
}

void desk_lang_stop(struct desk_langs *l)
{
	free(l->v);
	free(l->path);
	memset(l, 0, sizeof(*l));
	i18n_free();
}

void desk_lang_request(struct desk_request *r)
{
	const struct desk_lang_choice *c = r->session ? find(&r->desk->langs, r->session->user) : NULL;
	if (c != NULL && i18n_use(c->tag) == 0)
		return;
	const char *accept = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
	i18n_use(i18n_pick_accept(accept));
}

void desk_lang_chooser(struct desk_html *h, const struct desk_request *r)
{
	const char *back = strncmp(r->url, "/case/", 6) == 0 || strcmp(r->url, "/presence") == 0 ? r->url : "/cases";
	desk_html_printf(h, "<form class=\"lang\" method=\"post\" action=\"/language\">"
			 "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
			 "<input type=\"hidden\" name=\"back\" value=\"%s\">", r->session->csrf, back);
	for (size_t i = 0; i18n_language(i) != NULL; i++) {
		const char *tag = i18n_language(i);
		if (strcmp(tag, i18n_current()) != 0)
			desk_html_printf(h, "<button type=\"submit\" name=\"lang\" value=\"%s\" lang=\"%s\" "
					 "id=\"lang-%s\">%s</button>", tag, tag, tag, i18n_language_name(tag));
	}
	desk_html_printf(h, "</form>");
}

static int write_all(FILE *f, const void *ctx)
{
	const struct desk_langs *l = ctx;
	fputs(HEADER, f);
	for (size_t i = 0; i < l->n; i++)
		fprintf(f, "%s\t%s\n", l->v[i].name, l->v[i].tag);
	return ferror(f) ? -EIO : 0;
}

/* The page to go back to: one of the desk's own (a path, never "//host"). */
static const char *back_to(const char *back)
{
	size_t n = strlen(back);
	bool own = n > 0 && n < 128 && back[0] == '/' && back[1] != '/' &&
		   strspn(back, "abcdefghijklmnopqrstuvwxyz0123456789/-") == n;
	return own ? back : "/cases";
}

enum MHD_Result desk_lang_post(struct desk_request *r)
{
	char tag[I18N_TAG_MAX + 8], back[160], err[512];
	struct desk_langs *l = &r->desk->langs;
	const char *known = desk_form_get(r->body, "lang", tag, sizeof(tag)) ? i18n_known(tag) : NULL;
	if (known == NULL || strcmp(known, tag) != 0)
		return desk_refuse(r, 400, _("There is no such language here."));
	if (!desk_form_get(r->body, "back", back, sizeof(back)))
		back[0] = '\0';
	if (l->path == NULL || !set(l, r->session->user, tag))
		return desk_refuse(r, 500, _("Out of memory."));
	int rc = file_replace(l->path, write_all, l, err, sizeof(err));
	log_line(rc < 0 ? LOG_ERR : LOG_NOTICE, "raksha-desk: '%s' chose the language %s from %s%s%s",
		 r->session->user, tag, r->addr, rc < 0 ? "; not saved: " : "", rc < 0 ? err : "");
	i18n_use(tag);
	return desk_redirect(r, back_to(back), NULL);
}
