#include <raksha/raksha.h>

const char *raksha_version(void)
{
	return RAKSHA_VERSION_STRING;
}
