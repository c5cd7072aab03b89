/* Hex digits read one at a time: linear and exact, where sscanf("%2x")
 * skips spaces and takes a sign. */
#include "common/hex.h"

int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
