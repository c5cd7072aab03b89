/* Logging in and out. The login form carries its own CSRF token, also
 * set as a cookie (there is no session yet to hold one): a form posted
 * from another site has neither. */
#include <string.h>

#include "common/i18n.h"
#include "common/log.h"
#include "desk/desk_form.h"
#include "desk/desk_page.h"
#include "desk/desk_pages.h"

enum MHD_Result desk_page_login(struct desk_request *r, unsigned status, const char *why)
{
	char token[DESK_TOKEN_HEX + 1], cookie[256];
	struct desk_html h = {0};
	desk_token(token);
	desk_cookie(r->desk, DESK_LOGIN_COOKIE, token, cookie, sizeof(cookie));
	desk_page_start(&h, r, _("Log in"));
	desk_html_printf(&h, "<h1>%s</h1>\n", _("Log in"));
	if (why != NULL)
		desk_html_printf(&h, "<p class=\"error\" id=\"login-error\">%s</p>\n", why);
	desk_html_printf(&h, "<form class=\"login\" method=\"post\" action=\"/login\">\n"
			 "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
			 "<label for=\"username\">%s</label>\n"
			 "<input id=\"username\" name=\"username\" autocomplete=\"username\" required "
			 "autocapitalize=\"none\">\n"
			 "<label for=\"password\">%s</label>\n"
			 "<input id=\"password\" name=\"password\" type=\"password\" "
			 "autocomplete=\"current-password\" required>\n"
			 "<button type=\"submit\">%s</button>\n</form>\n", token, _("Name"), _("Password"), _("Log in"));
	desk_page_end(&h);
	return desk_reply_html(r, status, &h, cookie);
}

/* A wrong password, an unknown name, or a right one: the same work, so
 * the time taken does not tell which names are accounts. */
static bool password_ok(const struct desk_user *u, const char *password)
{
	static struct desk_user nobody;
	if (u != NULL)
		return desk_user_password_ok(u, password);
	if (nobody.hash[0] == '\0')
		desk_user_set_password(&nobody, "not anybody's password", NULL, 0);
	desk_user_password_ok(&nobody, password);
	return false;
}

static enum MHD_Result failed(struct desk_request *r, const char *name, bool valid)
{
	struct desk *d = r->desk;
	int locked = desk_guard_failed(&d->guard, valid ? name : NULL, r->addr, r->now_ms);
	log_line(LOG_WARNING, "raksha-desk: failed login for '%s' from %s%s", name, r->addr,
		 locked ? "; the account is locked for 15 minutes" : "");
	return desk_page_login(r, 401, _("Wrong name or password."));
}

static enum MHD_Result succeeded(struct desk_request *r, const struct desk_user *u)
{
	char cookie[256];
	desk_guard_succeeded(&r->desk->guard, u->name);
	char id[DESK_TOKEN_HEX + 1];
	desk_session_new(&r->desk->sessions, u->name, r->now_ms, id);
	desk_cookie(r->desk, DESK_SESSION_COOKIE, id, cookie, sizeof(cookie));
	sodium_memzero(id, sizeof(id));
	log_line(LOG_NOTICE, "raksha-desk: login '%s' from %s", u->name, r->addr);
	return desk_redirect(r, "/cases", cookie);
}

static enum MHD_Result refused(struct desk_request *r, const char *name, enum desk_guard_verdict v)
{
	log_line(LOG_WARNING, "raksha-desk: login for '%s' from %s refused: %s", name, r->addr,
		 v == GUARD_ACCOUNT_LOCKED ? "the account is locked" : "too many wrong passwords from there");
	if (v == GUARD_ACCOUNT_LOCKED)
		return desk_page_login(r, 429, _("This account is locked for 15 minutes after five wrong "
					 "passwords. Ask your supervisor if it was not you."));
	return desk_page_login(r, 429, _("Too many wrong passwords from this device. Try again later."));
}

enum MHD_Result desk_login(struct desk_request *r)
{
	char token[DESK_TOKEN_HEX + 8], name[DESK_NAME_MAX * 4 + 1], password[DESK_PASSWORD_MAX + 1];
	const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, DESK_LOGIN_COOKIE);
	if (!desk_form_get(r->body, "csrf", token, sizeof(token)) || !desk_token_equal(cookie, token))
		return desk_refuse(r, 403, _("The login form has expired or came from elsewhere. "
				     "Open the login page again."));
	if (!desk_form_get(r->body, "username", name, sizeof(name)) ||
	    !desk_form_get(r->body, "password", password, sizeof(password)) || name[0] == '\0')
		return desk_page_login(r, 400, _("Give your name and password."));
	struct desk *d = r->desk;
	bool valid = desk_user_name_valid(name);
	enum desk_guard_verdict v = desk_guard_check(&d->guard, valid ? name : NULL, r->addr, r->now_ms);
	if (v != GUARD_OK)
		return refused(r, name, v);
	desk_users_refresh(d);
	const struct desk_user *u = valid ? desk_users_find(&d->users, name) : NULL;
	bool ok = password_ok(u, password);
	sodium_memzero(password, sizeof(password));
	if (!ok)
		return failed(r, name, valid);
	return succeeded(r, u);
}

enum MHD_Result desk_logout(struct desk_request *r)
{
	char cookie[256];
	log_line(LOG_NOTICE, "raksha-desk: logout '%s' from %s", r->session->user, r->addr);
	desk_session_end(&r->desk->sessions, r->session);
	r->session = NULL;
	desk_cookie(r->desk, DESK_SESSION_COOKIE, NULL, cookie, sizeof(cookie));
	return desk_redirect(r, "/login", cookie);
}
