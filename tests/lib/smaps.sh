# smaps.sh: what a process holds, from /proc (issue 19 part 6's bounds).
# mapped_kib PID REGEX: the resident KiB of PID's mappings whose file
# matches REGEX (an awk regex), 0 if none.
mapped_kib() {
	awk -v re="$2" '/^[0-9a-f]+-[0-9a-f]+ / { hit = $6 ~ re } hit && /^Rss:/ { n += $2 } END { print n + 0 }' \
		"/proc/$1/smaps"
}
# rss_kib PID: VmRSS in KiB.
rss_kib() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status"; }
# sanitized: true in an ASan/UBSan build, whose shadow memory makes RSS
# bounds meaningless (the mappings' bounds still hold there).
sanitized() { [ "${RAKSHA_SANITIZE:-none}" != none ]; }
