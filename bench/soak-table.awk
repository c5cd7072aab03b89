# bench/soak-table.awk: the table and the verdict of bench/soak.sh, from
# its samples ("T NAME RSS_KIB FDS DB_BYTES WAL_BYTES REPORTS" per agent,
# "T pub QUEUED BACKLOG" for the publisher; RSS and FDS "-" while an agent
# is down). Variables: D (the run's seconds), SANITIZED (1: memory shown,
# not judged), KILLED (the agent whose restarts make its memory start
# afresh). Prints the table as TAP comments, then one line per judgement,
# "PASS<TAB>what" or "FAIL<TAB>what", for bench/soak.sh to count; the
# rules are bench/soak.sh's.
function mib(b) { return sprintf("%.1f", b / 1048576) }
{
	if (!($1 in seen)) {
		seen[$1] = 1
		times[nt++] = $1
	}
	if ($2 == "pub") {
		queued[$1] = $3
		backlog[$1] = $4
		next
	}
	if (!($2 in known)) {
		known[$2] = 1
		names[na++] = $2
	}
	rss[$1, $2] = $3
	fds[$1, $2] = $4
	db[$1, $2] = $5
	wal[$1, $2] = $6
	rows[$1, $2] = $7
}
END {
	head = sprintf("# %6s", "time")
	for (i = 0; i < na; i++)
		head = head sprintf(" | %-6s %6s %4s %8s", names[i], "RSS", "fds", "db+wal")
	print head sprintf(" | %8s %7s", "queued", "backlog")
	unit = sprintf("# %6s", "min")
	for (i = 0; i < na; i++)
		unit = unit sprintf(" | %-6s %6s %4s %8s", "", "MiB", "", "MiB")
	print unit
	for (k = 0; k < nt; k++) {
		t = times[k]
		line = sprintf("# %6.1f", t / 60)
		for (i = 0; i < na; i++) {
			a = names[i]
			r = rss[t, a] == "-" ? "down" : mib(rss[t, a] * 1024)
			line = line sprintf(" | %-6s %6s %4s %8s", "", r, fds[t, a], mib(db[t, a] + wal[t, a]))
		}
		print line sprintf(" | %8d %7d", queued[t], backlog[t])
	}
	for (i = 0; i < na; i++)
		judge(names[i])
}
# The samples after the warm-up (the first tenth), and of them the first
# and the last quarter (at least one sample each).
function judge(a,    k, t, n, m, q, idx, mem, maxf, maxl, fdf, fdl, bf, bl, walmax, tf, tl) {
	n = 0
	walmax = 0
	for (k = 0; k < nt; k++) {
		t = times[k]
		if (wal[t, a] > walmax)
			walmax = wal[t, a]
		if (t >= D / 10 && rows[t, a] > 0)
			idx[n++] = t
	}
	if (n < 2) {
		printf "FAIL\t%s: %d samples after the warm-up, too few to judge\n", a, n
		return
	}
	q = int((n + 3) / 4)
	maxf = maxl = fdf = fdl = 0
	for (m = 0; m < n; m++) {
		t = idx[m]
		if (rss[t, a] == "-")
			continue
		if (m < q) {
			maxf = rss[t, a] > maxf ? rss[t, a] : maxf
			fdf = fds[t, a] > fdf ? fds[t, a] : fdf
		}
		if (m >= n - q) {
			maxl = rss[t, a] > maxl ? rss[t, a] : maxl
			fdl = fds[t, a] > fdl ? fds[t, a] : fdl
		}
	}
	mem = sprintf("%s: memory, max VmRSS of the last quarter %s MiB against %s MiB in the first (x %.2f; at most x 1.25)",
		a, mib(maxl * 1024), mib(maxf * 1024), maxl / (maxf > 0 ? maxf : 1))
	if (a == KILLED)
		print "PASS\t" mem ": not judged, restarted by the kills"
	else if (SANITIZED)
		print "PASS\t" mem ": not judged under ASan"
	else
		print (maxf > 0 && maxl <= 1.25 * maxf ? "PASS" : "FAIL") "\t" mem
	printf "%s\t%s: descriptors, max of the last quarter %d against %d in the first (at most 2 more)\n",
		(fdf > 0 && fdl <= fdf + 2 ? "PASS" : "FAIL"), a, fdl, fdf
	tf = idx[q - 1]
	tl = idx[n - 1]
	bf = db[tf, a] / rows[tf, a]
	bl = db[tl, a] / rows[tl, a]
	printf "%s\t%s: database, %d bytes a report at %.1f min (%d reports), %d at %.1f min (%d) (x %.2f; at most x 1.1)\n",
		(bl <= 1.1 * bf ? "PASS" : "FAIL"), a, bf, tf / 60, rows[tf, a], bl, tl / 60, rows[tl, a], bl / bf
	printf "%s\t%s: WAL at most %s MiB (at most 40)\n", (walmax <= 40 * 1048576 ? "PASS" : "FAIL"), a, mib(walmax)
}
