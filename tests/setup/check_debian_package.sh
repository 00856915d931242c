#!/usr/bin/env bash
# The Debian package as a person installing Clade gets it: cpack builds it from this build
# tree, and its name, control fields, maintainer scripts and files are checked; the desktop
# entry, AppStream metainfo, man page and bash completion are validated by the tools a
# distribution uses. Exit 77 (a skip) when a tool is missing, saying which.
#
#   check_debian_package.sh BUILD_DIR
set -uo pipefail
build=${1:?usage: check_debian_package.sh BUILD_DIR}
app_id=io.github.clade.Clade

for tool in cpack dpkg-deb dpkg-shlibdeps file desktop-file-validate appstreamcli groff; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool is not installed (scripts/install-deps.sh installs it)"
    exit 77
  fi
done
[ -f "$build/CPackConfig.cmake" ] || { echo "FAIL: $build/CPackConfig.cmake: not a configured build"; exit 1; }

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

work=$(mktemp -d "${TMPDIR:-/tmp}/clade-deb-check.XXXXXX")
trap 'rm -rf "$work"' EXIT

version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
if ! cpack --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log"
  echo "FAIL: cpack could not build the package"
  exit 1
fi
deb=$work/out/clade_${version}_amd64.deb
if [ ! -f "$deb" ]; then
  ls "$work/out"
  echo "FAIL: expected $(basename "$deb") (clade_<version>_<arch>.deb)"
  exit 1
fi

# Control fields: runtime libraries and programs, never a -dev package.
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
echo "Installed-Size: $(dpkg-deb -f "$deb" Installed-Size) KiB; package $(du -k "$deb" | cut -f1) KiB"
grep -qE '(^|, )[a-z0-9.+-]+-dev( |,|$)' <<<"$depends" && fail "Depends names a -dev package: $depends"
for needed in bubblewrap python3 libqt6core6 libqt6widgets6 libgit2-1.5 libsqlite3-0; do
  grep -qE "(^|, )$needed( |,|$)" <<<"$depends" || fail "Depends lacks $needed: $depends"
done
[ "$(dpkg-deb -f "$deb" Package)" = clade ] || fail "Package is not 'clade'"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "Version is not $version"

# Maintainer scripts: present, executable, valid sh, and the postinst creates the sandbox user.
dpkg-deb -e "$deb" "$work/control"
for script in postinst prerm; do
  [ -x "$work/control/$script" ] || { fail "no executable $script in the package"; continue; }
  sh -n "$work/control/$script" || fail "$script is not valid sh"
done
grep -q 'useradd --system' "$work/control/postinst" || fail "postinst does not create the sandbox user"
prerm_binary=$(sed -n 's/^clade=//p' "$work/control/prerm")

# Files: where a desktop, man and bash-completion find them.
dpkg-deb -x "$deb" "$work/root"
root=$(realpath "$work/root") # clade examples prints canonical folders
for file in usr/bin/clade \
            usr/share/clade/examples/binpack/clade.json \
            usr/share/clade/examples/coder/clade.json \
            "usr/share/applications/$app_id.desktop" \
            "usr/share/metainfo/$app_id.metainfo.xml" \
            "usr/share/icons/hicolor/scalable/apps/$app_id.svg" \
            usr/share/man/man1/clade.1.gz \
            usr/share/bash-completion/completions/clade; do
  [ -f "$root/$file" ] || fail "the package has no /$file"
done
if find "$root" -name __pycache__ -o -name '*.pyc' | grep -q .; then
  fail "the package holds Python caches: $(find "$root" -name __pycache__ -o -name '*.pyc' | head -3)"
fi
if file_out=$(readelf -S "$root/usr/bin/clade" 2>/dev/null) && grep -q '\.debug_info' <<<"$file_out"; then
  fail "/usr/bin/clade is not stripped"
fi

[ -n "$prerm_binary" ] && [ -f "$root$prerm_binary" ] ||
  fail "prerm runs '$prerm_binary', which the package does not install"

desktop-file-validate "$root/usr/share/applications/$app_id.desktop" || fail "desktop-file-validate"
appstreamcli validate --no-net "$root/usr/share/metainfo/$app_id.metainfo.xml" ||
  fail "appstreamcli validate"
grep -q "^Icon=$app_id$" "$root/usr/share/applications/$app_id.desktop" ||
  fail "the desktop entry's Icon is not $app_id"

# The man page renders without a warning; the completion is valid bash and completes a verb.
if ! man_warnings=$(zcat "$root/usr/share/man/man1/clade.1.gz" | groff -man -ww -z 2>&1) ||
   [ -n "$man_warnings" ]; then
  fail "clade.1 does not render cleanly: $man_warnings"
fi
bash -n "$root/usr/share/bash-completion/completions/clade" || fail "the bash completion is not valid bash"

# The installed layout works: the binary finds the examples beside it (../share/clade).
examples=$("$root/usr/bin/clade" examples 2>&1) || fail "clade examples failed: $examples"
grep -q "$root/usr/share/clade/examples/binpack" <<<"$examples" ||
  fail "clade examples does not list the packaged binpack: $examples"

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) of $(basename "$deb") failed"
  exit 1
fi
echo "$(basename "$deb"): every check passed"
