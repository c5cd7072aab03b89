/* raksha-desk user add|del|passwd|list: the accounts file by hand. */
#ifndef RAKSHA_DESK_USER_CMD_H
#define RAKSHA_DESK_USER_CMD_H

/* Runs `user ARGS...` (@argv[0] is "add", "del", "passwd" or "list") on
 * the accounts file @path. A password comes from the terminal (asked
 * twice, not echoed) or, when standard input is not one, its first line.
 * Returns a sysexits code: 0, EX_USAGE, EX_DATAERR (a field not allowed,
 * no such account, one there already), EX_IOERR / EX_CANTCREAT. `del`
 * and `passwd` also end the account's sessions in the sessions file
 * @sessions (NULL: none). */
int desk_user_cmd(const char *path, const char *sessions, int argc, char **argv);

#endif
