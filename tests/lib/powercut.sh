# Helpers for tests/tools/powercut-fs, a file system that plays power cuts
# (tests/fault/09-power-cut.sh). Source after tap.sh and fault.sh.

# powercut_mount DIR: a powercut-fs over DIR/disk (made if missing; what is
# there already is the durable start, "the disk as installed") mounted at
# DIR/mnt. Sets PCFS_PID, PCFS_OUT and PCFS_MNT. Bails out, saying why, if
# it cannot mount: this suite proves nothing without it.
powercut_mount() {
	[ -c /dev/fuse ] || bail "no /dev/fuse: the power cuts need FUSE (modprobe fuse; a container needs --device /dev/fuse)"
	mkdir -p "$1/disk" "$1/mnt"
	PCFS_OUT=$1/powercut.out
	PCFS_MNT=$1/mnt
	"$POWERCUT_FS" "$1/disk" "$PCFS_MNT" > "$PCFS_OUT" 2> "$1/powercut.err" &
	PCFS_PID=$!
	wait_until 10 grep -q '^mounted$' "$PCFS_OUT" ||
		bail "powercut-fs could not mount on $PCFS_MNT: $(tr '\n' ' ' < "$1/powercut.err")"
}

# powercut_cut: the power cut (kill every process using the mount first, as
# the power would), confirmed; its line, what was kept and dropped, in
# CUT_LINE. Bails out if the file system could not do it.
powercut_cut() {
	_had=$(grep -c '^cut ' "$PCFS_OUT")
	kill -USR1 "$PCFS_PID"
	wait_until 30 at_least $((_had + 1)) grep -c '^cut ' "$PCFS_OUT" ||
		bail "powercut-fs did not confirm cut $((_had + 1))"
	CUT_LINE=$(grep '^cut ' "$PCFS_OUT" | tail -n 1)
	case $CUT_LINE in *failed*) bail "powercut-fs: $CUT_LINE" ;; esac
}

# powercut_unmount: SIGTERM (it unmounts and exits 0), then a lazy umount
# if the mount is still there (the file system died). Sets PCFS_RC.
powercut_unmount() {
	[ -n "${PCFS_PID:-}" ] || return 0
	kill -TERM "$PCFS_PID" 2>/dev/null
	wait "$PCFS_PID" 2>/dev/null
	PCFS_RC=$?
	PCFS_PID=
	if grep -qF " $PCFS_MNT fuse" /proc/mounts; then
		umount -l "$PCFS_MNT"
		PCFS_RC=unmounted-by-hand
	fi
	return 0
}
