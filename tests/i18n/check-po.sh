#!/bin/sh
# The test that fails when a word for a person has no translation
# (docs/translating.md): every message xgettext finds in the sources of
# the desk, the board and common/ (all of them, not only po/POTFILES) is
# translated in each po/LANG.po of po/LINGUAS, none fuzzy; po/POTFILES
# lists every file with a marked word; and check-wrapped.py finds no word
# shown without _(). Each check is first shown to fail on a planted fault
# (a translation removed, a fuzzy one, an unwrapped label), so that none
# passes vacuously. Usage: check-po.sh SOURCE-ROOT
set -u
top=$1
. "$top/tests/lib/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$top" || exit 1

sources() {
	find common subscriber/desk subscriber/board -name '*.c' | LC_ALL=C sort
}
sources | xargs grep -l -E '\b(_|N_|NC_|i18n_plural)\(' >"$tmp/marked"
ok "po/POTFILES lists every file with a marked word (scripts/po-update remakes it)" \
	cmp -s "$tmp/marked" po/POTFILES
if ! cmp -s "$tmp/marked" po/POTFILES; then
	tap_comment "$(diff po/POTFILES "$tmp/marked")"
fi

# Every message of @pot translated in @po, none fuzzy: msgcmp counts an
# untranslated or fuzzy message as missing; msgfmt --check the formats.
translated() {
	msgcmp "$1" "$2" >"$tmp/msgcmp" 2>&1 &&
		msgfmt --check --statistics -o /dev/null "$1" >"$tmp/stats" 2>&1 &&
		! grep -q -E 'fuzzy|untranslated' "$tmp/stats"
}

sources | xargs xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=i18n_plural:1,2 \
	--keyword=NC_:1c,2 --keyword=i18n_context:1c,2 -o "$tmp/all.pot" 2>"$tmp/xgettext"
ok "xgettext reads the sources" test -s "$tmp/all.pot"
n=$(grep -c '^msgid ' "$tmp/all.pot")
ok "the sources have words for a person ($n messages)" test "$n" -gt 100

for lang in $(cat po/LINGUAS); do
	ok "po/$lang.po translates every message of the sources, none fuzzy" translated "po/$lang.po" "$tmp/all.pot"
	tap_comment "$(cat "$tmp/msgcmp" "$tmp/stats" | head -20)"
	# planted: the translation of "Log in" emptied; then marked fuzzy
	awk 'prev == "msgid \"Log in\"" { print "msgstr \"\""; prev = $0; next } { print; prev = $0 }' \
		"po/$lang.po" >"$tmp/empty.po"
	translated "$tmp/empty.po" "$tmp/all.pot"
	ok "planted: a message left untranslated fails the check" test $? -ne 0
	awk '$0 == "msgid \"Log in\"" { print "#, fuzzy" } { print }' "po/$lang.po" >"$tmp/fuzzy.po"
	translated "$tmp/fuzzy.po" "$tmp/all.pot"
	ok "planted: a fuzzy translation fails the check" test $? -ne 0
done
printf '#include "common/i18n.h"\nconst char *planted(void);\nconst char *planted(void) { return _("A planted new word"); }\n' \
	>"$tmp/planted.c"
sources | xargs xgettext --from-code=UTF-8 --keyword=_ -o "$tmp/planted.pot" "$tmp/planted.c"
translated po/hi.po "$tmp/planted.pot"
ok "planted: a new word nobody translated fails the check" test $? -ne 0

checker="/usr/bin/python3 $top/tests/i18n/check-wrapped.py"
sources | xargs $checker >"$tmp/wrapped"
ok "no word of the desk or the board is shown without _() (check-wrapped.py)" test $? -eq 0
tap_comment "$(tail -20 "$tmp/wrapped")"
$checker tests/i18n/planted-unwrapped.c >"$tmp/planted"
ok "planted: check-wrapped.py fails on the planted labels" test $? -ne 0
want=$(grep -n 'PLANTED' tests/i18n/planted-unwrapped.c | grep -v '^[1-4]:' | cut -d: -f1 | tr '\n' ' ')
got=$(grep -o '^tests/i18n/planted-unwrapped.c:[0-9]*' "$tmp/planted" | cut -d: -f2 | sort -un | tr '\n' ' ')
is "$got" "$want" "planted: it names each planted line and no other"
done_testing
