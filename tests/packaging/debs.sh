# The Debian packages built from a clean copy of the tree, shared by
# 01-debian-build.sh (which builds them beside the other suites) and
# 02-debian-install.sh (which runs alone and installs what 01 built, or
# builds them itself when 01's are missing or of another tree).
# Sourced; needs SRC (the source root).
PKGS="libraksha0 libraksha-dev raksha-agent raksha-tools raksha-broker raksha-doc"

# debs_copy DIR: the tracked files and new ones, never a build folder, as
# DIR/tree.tar; prints its sha256, which names the tree the packages are of.
debs_copy() {
	if git -C "$SRC" rev-parse --git-dir > /dev/null 2>&1; then
		git -C "$SRC" ls-files -co --exclude-standard | grep -v -e '^build' -e '^obj-' -e '^\.run/' |
			(cd "$SRC" && tar -cf - -T -) > "$1/tree.tar"
	else
		tar -C "$SRC" --exclude=./.git --exclude='./build*' --exclude='./obj-*' --exclude=./.run \
			-cf - . > "$1/tree.tar"
	fi
	sha256sum < "$1/tree.tar" | cut -d' ' -f1
}

# debs_build DIR: dpkg-buildpackage -b of the copy in DIR/tree.tar, in
# DIR/src/raksha, its log in DIR/build.log; the .debs land in DIR/src.
# Niced: beside the other suites it takes the cores they leave. Returns
# dpkg-buildpackage's exit status.
debs_build() {
	mkdir -p "$1/src/raksha"
	tar -xf "$1/tree.tar" -C "$1/src/raksha" || return 1
	(cd "$1/src/raksha" && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" \
		nice -n 10 dpkg-buildpackage -us -uc -b) > "$1/build.log" 2>&1
}
