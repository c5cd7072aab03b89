#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/password_file.h"

char *password_file_read(const char *path)
{
	char line[512];
	FILE *f = fopen(path, "re");
	if (f == NULL)
		return NULL;
	char *got = fgets(line, sizeof(line), f);
	fclose(f);
	line[got ? strcspn(line, "\r\n") : 0] = '\0';
	return strdup(line);
}
