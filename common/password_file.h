/* A password kept in its own file (mode 0600), not in the config. */
#ifndef RAKSHA_COMMON_PASSWORD_FILE_H
#define RAKSHA_COMMON_PASSWORD_FILE_H

/* The first line of @path without its line end, as a new string (free()),
 * or NULL with errno set if the file cannot be read. */
char *password_file_read(const char *path);

#endif
