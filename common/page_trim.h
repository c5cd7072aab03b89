#ifndef RAKSHA_COMMON_PAGE_TRIM_H
#define RAKSHA_COMMON_PAGE_TRIM_H

/* Gives back the resident pages of the read-only mappings of the files
 * whose path contains one of @names (NULL-terminated) and of which the
 * process wrote no page: what the loader touched once in a library
 * (relocations, symbol lookups under BIND_NOW) and its start-up code,
 * counted in the RSS until the kernel runs short. They stay in the page
 * cache; a later use faults them back in without reading the disk. A
 * mapping with a page of the process's own (smaps' Anonymous: a page
 * relocated before RELRO made it read-only) is left whole, so nothing is
 * lost (MADV_DONTNEED). Reads /proc/self/smaps: a few milliseconds. */
void page_trim(const char *const *names);

#endif
