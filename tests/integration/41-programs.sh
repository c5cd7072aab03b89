#!/bin/sh
# 41: every installed program (meson's install targets in bin/ and sbin/,
# so that a new one is checked too) behaves alike: -h and --help print its
# usage on stdout and exit 0; -V and --version print exactly "NAME VERSION";
# an unknown option exits 64 with "NAME: unknown option ..." and the usage
# on stderr, the fixed name, never the path it was run by. Each program that
# reads a configuration takes -n: "configuration OK" on a good file, 78 and
# "NAME: FILE:LINE: ..." on a bad one; without --config it reads the first
# of SYSCONFDIR/raksha/NAME.conf and $XDG_CONFIG_HOME/raksha/NAME.conf
# (~/.config without XDG_CONFIG_HOME), and says where it looked when neither
# is there (66). raksha-publish and raksha-replay take the broker's
# credentials as flags and as keys of the same names. `meson install --destdir` installs a man page for
# every program, and every document a man page names.
set -u
. "$RAKSHA_SOURCE_ROOT/tests/lib/tap.sh"
W=$(mktemp -d "${TMPDIR:-/tmp}/raksha-41.XXXXXX")
trap 'rm -rf "$W"' EXIT

# The installed programs: "BUILD-PATH INSTALL-PATH" lines.
meson introspect "$RAKSHA_BUILD_ROOT" --installed > "$W/installed.json" || bail "meson introspect failed"
/usr/bin/python3 - "$W/installed.json" > "$W/programs" <<'EOF' || bail "no install targets"
import json, sys
for built, dest in sorted(json.load(open(sys.argv[1])).items()):
    if "/bin/" in dest or "/sbin/" in dest:
        print(built, dest)
EOF
n=$(grep -c '' "$W/programs")
ok "meson installs $n programs, the seven known among them" \
	test "$(grep -cE '/s?bin/raksha-(agent|board|desk|publish|replay|inspect|roster)$' "$W/programs")" = 7

# Which configuration each program reads (NAME of NAME.conf), "-" for none.
# A program missing here fails: say what it reads.
conf_of() {
	case $1 in
	raksha-agent | raksha-board | raksha-desk) echo agent ;;
	raksha-publish) echo publish ;;
	raksha-replay) echo replay ;;
	raksha-inspect | raksha-roster) echo - ;;
	*) echo unknown ;;
	esac
}

# A good configuration of each kind; its first section's second line is
# where good_conf KIND bad puts a key that does not exist.
good_conf() {
	case $1 in
	agent) printf '[agent]\n%sid = mp-bhopal-grp-1\nstate = mp\nregion = bhopal\nagency = grp\n' "${2:-}"
		printf 'database = %s/agent.db\n[broker]\nurl = mqtt://127.0.0.1:1883\n' "$W"
		printf '[subscribe]\nfilter = raksha/v1/mp/#\n[desk]\nusers = %s/users\n' "$W" ;;
	publish) printf '[origin]\n%sstate = mp\nregion = bhopal\nagency = grp\n' "${2:-}"
		printf '[broker]\nurl = mqtt://127.0.0.1:1883\nusername = mp-bhopal-grp-post1\n' ;;
	replay) printf '[replay]\n%sdatabase = %s/agent.db\narchive = mp-archive\ntimeout = 5\n' "${2:-}" "$W"
		printf '[broker]\nurl = mqtt://127.0.0.1:1883\nusername = mp-sp-railways\n' ;;
	esac
}

# run FILE PROGRAM ARG...: PROGRAM's stdout in FILE.out, stderr in FILE.err, exit in rc.
run() {
	out=$1
	shift
	"$@" > "$out.out" 2> "$out.err"
	rc=$?
}

first_line() { head -n 1 "$1"; }

check_common() {
	path=$1 name=$2
	for h in -h --help; do
		run "$W/h" "$path" "$h"
		is "$rc" 0 "$name $h: exit 0"
		contains "$(first_line "$W/h.out")" "usage: $name " "  the usage on stdout"
		is "$(cat "$W/h.err")" "" "  nothing on stderr"
	done
	for v in -V --version; do
		run "$W/v" "$path" "$v"
		is "$rc $(cat "$W/v.out")" "0 $name $RAKSHA_VERSION" "$name $v: exit 0, exactly '$name $RAKSHA_VERSION'"
	done
	run "$W/u" "$path" --no-such-option
	is "$rc" 64 "$name --no-such-option: exit 64 (EX_USAGE)"
	is "$(first_line "$W/u.err")" "$name: unknown option '--no-such-option'" \
		"  the message starts with the program's name, not its path"
	contains "$(cat "$W/u.err")" "usage: $name " "  then the usage, on stderr"
	is "$(cat "$W/u.out")" "" "  nothing on stdout"
}

# check_config PATH NAME CONF: -n, and the default search.
check_config() {
	path=$1 name=$2 conf=$3
	good_conf "$conf" > "$W/good.conf"
	good_conf "$conf" "colour = blue
" > "$W/bad.conf"
	run "$W/n" "$path" --config
	is "$rc $(first_line "$W/n.err")" "64 $name: option '--config' needs a value" \
		"$name --config without its value: 64, said by the program's name"
	run "$W/n" "$path" -nX
	is "$rc $(first_line "$W/n.err")" "64 $name: unknown option '-X'" "$name -nX: the bad letter named"
	run "$W/n" "$path" -n --config "$W/good.conf"
	is "$rc $(cat "$W/n.out")" "0 configuration OK" "$name -n on a good file: configuration OK, exit 0"
	run "$W/n" "$path" -n --config "$W/bad.conf"
	is "$rc" 78 "$name -n on a bad file: exit 78 (EX_CONFIG)"
	contains "$(cat "$W/n.err")" "$name: $W/bad.conf:2: unknown key 'colour'" \
		"  names the program, the file, the line and the key"
	system=$RAKSHA_SYSCONFDIR/raksha/$conf.conf
	if [ -e "$system" ]; then
		tap_n=$((tap_n + 1))
		echo "ok $tap_n - # SKIP $system exists: the default search would find it first"
		return
	fi
	rm -rf "$W/xdg" "$W/home"
	mkdir -p "$W/xdg/raksha" "$W/home/.config/raksha"
	run "$W/d" env XDG_CONFIG_HOME="$W/xdg" HOME="$W/home" "$path" -n
	is "$rc" 66 "$name -n with no --config and no default file: exit 66"
	is "$(cat "$W/d.err")" "$name: no configuration: give --config FILE, or write $system or $W/xdg/raksha/$conf.conf" \
		"  says where it looked: SYSCONFDIR, then XDG_CONFIG_HOME"
	cp "$W/good.conf" "$W/xdg/raksha/$conf.conf"
	cp "$W/bad.conf" "$W/home/.config/raksha/$conf.conf"
	run "$W/d" env XDG_CONFIG_HOME="$W/xdg" HOME="$W/home" "$path" -n
	is "$rc $(cat "$W/d.out")" "0 configuration OK" "$name -n reads \$XDG_CONFIG_HOME/raksha/$conf.conf"
	run "$W/d" env XDG_CONFIG_HOME=relative/xdg HOME="$W/home" "$path" -n
	is "$rc" 78 "$name -n with a relative XDG_CONFIG_HOME ignores it (the XDG spec): ~/.config"
	run "$W/d" env -u XDG_CONFIG_HOME HOME="$W/home" "$path" -n
	is "$rc" 78 "$name -n without XDG_CONFIG_HOME reads ~/.config/raksha/$conf.conf (a bad one: 78)"
	contains "$(cat "$W/d.err")" "$name: $W/home/.config/raksha/$conf.conf:2: unknown key 'colour'" \
		"  and names it"
}

while read -r built dest; do
	name=${dest##*/}
	conf=$(conf_of "$name")
	is "$conf" "${conf#unknown}" "$name: the suite knows whether it reads a configuration"
	check_common "$built" "$name"
	[ "$conf" = - ] || [ "$conf" = unknown ] || check_config "$built" "$name" "$conf"
done < "$W/programs"

# The same spelling for the same setting: the [broker] keys of
# raksha-publish and raksha-replay are their flags too, and each way
# reaches the broker's settings.
P=$RAKSHA_PUBLISH
printf '[broker]\npassword_file = %s/none\n' "$W" > "$W/pw.conf"
run "$W/c" "$P" --config "$W/pw.conf" --outbox "$W/outbox" flush
is "$rc" 66 "raksha-publish [broker] password_file unreadable: exit 66"
contains "$(cat "$W/c.err")" "raksha-publish: password_file $W/none:" "  named"
run "$W/c" "$P" --password-file "$W/none" --outbox "$W/outbox" flush
is "$rc" 66 "raksha-publish --password-file unreadable: the same exit 66"
contains "$(cat "$W/c.err")" "raksha-publish: password_file $W/none:" "  the same message"
for flag in --username --ca-file --cert-file --key-file; do
	run "$W/c" "$P" "$flag" x --dry-run --state mp --region bhopal --agency grp \
		--outbox "$W/outbox" report --name X --age 9
	is "$rc" 0 "raksha-publish $flag: a flag, as its key in [broker]"
done
R=$RAKSHA_REPLAY
printf '[broker]\npassword_file = %s/none\n[replay]\narchive = mp-archive\n' "$W" > "$W/rpw.conf"
run "$W/c" "$R" --config "$W/rpw.conf" --remote --url mqtt://127.0.0.1:1
is "$rc" 66 "raksha-replay [broker] password_file unreadable: exit 66"
contains "$(cat "$W/c.err")" "raksha-replay: --password-file $W/none: cannot read it" "  named"
run "$W/c" "$R" --password-file "$W/none" --remote --archive mp-archive --url mqtt://127.0.0.1:1
is "$rc" 66 "raksha-replay --password-file unreadable: the same"
contains "$(cat "$W/c.err")" "raksha-replay: --password-file $W/none: cannot read it" "  the same message"
printf '[replay]\ndatabase = %s/none.db\n' "$W" > "$W/rdb.conf"
run "$W/c" "$R" --config "$W/rdb.conf" --db "$W/other.db"
contains "$(cat "$W/c.err")" "$W/other.db:" "raksha-replay: --db (--database) wins over [replay] database"
run "$W/c" "$R" --config "$W/rdb.conf"
contains "$(cat "$W/c.err")" "$W/none.db:" "  which is read without it"

# Installed: a man page for every program, every document one names.
run "$W/i" meson install -C "$RAKSHA_BUILD_ROOT" --no-rebuild --destdir "$W/dest"
is "$rc" 0 "meson install --destdir"
[ "$rc" = 0 ] || tap_comment "$(tail -n 5 "$W/i.err")"
while read -r built dest; do
	name=${dest##*/}
	page=$(find "$W/dest" -path "*/share/man/man[18]/$name.[18]" | head -n 1)
	ok "$name: its man page is installed" test -n "$page"
done < "$W/programs"
find "$W/dest" -path '*/share/man/man*' -type f > "$W/pages"
for page in $(cat "$W/pages"); do
	# roff: \& (a zero-width break) and \fB/\fR (fonts) inside the paths.
	sed -e 's/\\&//g' -e 's/\\f[A-Z]//g' "$page" > "$W/page.txt"
	grep -o '/[a-z/]*share/doc/raksha/[A-Za-z0-9_./-]*' "$W/page.txt" | sed 's/[.]$//' | sort -u > "$W/docs"
	missing=
	for doc in $(cat "$W/docs"); do
		[ -e "$W/dest$doc" ] || missing="$missing $doc"
	done
	page=${page##*/}
	ok "$page names $(grep -c '' "$W/docs") installed document(s)" test -s "$W/docs"
	is "$missing" "" "  each of them is installed"
	is "$(grep -c 'docs/[a-z]*\.md' "$W/page.txt")" 0 "  none named by its place in the source tree"
done

done_testing
