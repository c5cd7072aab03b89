#ifndef RAKSHA_COMMON_HEX_H
#define RAKSHA_COMMON_HEX_H

/* The value of one hex digit, either case: 0-15, or -1 for any other
 * character (no sign, no space: callers read exact hex, byte by byte). */
int hex_digit(char c);

#endif
