#!/usr/bin/env bash
# Fetch QEMU 10.0's QAPI front end (scripts/qapi, scripts/qapi-gen.py and the
# test harness tests/qapi-schema/test-qapi.py) from Debian's archive, for the
# benchmark comparison (bench/frontend.bench.js) and for checking local test
# cases against the real thing. Nothing is committed into the repository.
#
# Usage: scripts/fetch-qemu-source.sh [DEST]      (default DEST: /tmp/qemu-src)
# Prints, as its last line:  export QEMU_SRC=DEST
#
# The machine's apt configuration is left alone: a private sources list
# (deb-src for Debian trixie, which carries qemu 1:10.0.x), private list and
# cache directories under a work directory, and `apt-get source -d` to download
# the source package without building or installing anything. Only the few
# directories needed are extracted from the upstream (orig) tarball.
#
# Environment:
#   QEMU_DEBIAN_SUITE   suite to take the source from (default: trixie)
#   QEMU_DEBIAN_MIRROR  mirror URL (default: http://deb.debian.org/debian)
#   QEMU_FETCH_WORK     work directory for apt state and downloads
#                       (default: DEST.work; removed on success unless
#                       QEMU_FETCH_KEEP=1)
set -euo pipefail

dest="${1:-/tmp/qemu-src}"
suite="${QEMU_DEBIAN_SUITE:-trixie}"
mirror="${QEMU_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
work="${QEMU_FETCH_WORK:-${dest%/}.work}"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

log() { printf 'fetch-qemu-source: %s\n' "$*" >&2; }

if [ -f "$dest/scripts/qapi/schema.py" ]; then
  log "already present in $dest"
  echo "export QEMU_SRC=$(cd "$dest" && pwd)"
  exit 0
fi

command -v apt-get >/dev/null || { log 'apt-get not found (a Debian-like system is needed)'; exit 1; }

mkdir -p "$work/etc/sources.list.d" "$work/etc/preferences.d" \
         "$work/lists/partial" "$work/cache/archives/partial" "$work/download"
signed=''
[ -r "$keyring" ] && signed=" [signed-by=$keyring]"
printf 'deb-src%s %s %s main\n' "$signed" "$mirror" "$suite" > "$work/etc/sources.list"

# Private state: only the source list, its parts directory, the lists and the
# caches are redirected; the rest of the system's apt.conf.d (proxies, etc.)
# still applies. Nothing under /etc/apt or /var/lib/apt is written.
apt_opts=(
  -o "Dir::Etc::SourceList=$work/etc/sources.list"
  -o "Dir::Etc::SourceParts=$work/etc/sources.list.d"
  -o "Dir::Etc::PreferencesParts=$work/etc/preferences.d"
  -o "Dir::State::Lists=$work/lists"
  -o "Dir::Cache=$work/cache"
  -o "Dir::Cache::pkgcache="
  -o "Dir::Cache::srcpkgcache="
  -o "APT::Sandbox::User=root"
  -o "Debug::NoLocking=1"
)

log "updating a private package list for deb-src $suite"
apt-get "${apt_opts[@]}" -qq update >&2

log "downloading source package qemu ($suite)"
(cd "$work/download" && apt-get "${apt_opts[@]}" -qq source --download-only qemu >&2)

dsc=$(ls "$work"/download/qemu_*.dsc 2>/dev/null | head -n1 || true)
[ -n "$dsc" ] || { log 'no .dsc downloaded'; exit 1; }
version=$(sed -n 's/^Version: //p' "$dsc" | head -n1)
log "got qemu $version"
case "$version" in
  *:10.0.*|10.0.*) ;;
  *) log "warning: expected QEMU 10.0.x, got $version" ;;
esac

orig=$(ls "$work"/download/qemu_*.orig.tar.* 2>/dev/null | grep -v '\.asc$' | head -n1 || true)
[ -n "$orig" ] || { log 'no orig tarball downloaded'; exit 1; }

mkdir -p "$dest"
log "extracting scripts/qapi from $(basename "$orig") into $dest"
tar -xf "$orig" -C "$dest" --strip-components=1 --wildcards \
  '*/scripts/qapi/*' '*/scripts/qapi-gen.py' '*/tests/qapi-schema/test-qapi.py'
[ -f "$dest/scripts/qapi/schema.py" ] || { log 'scripts/qapi/schema.py missing after extraction'; exit 1; }
printf '%s\n' "$version" > "$dest/DEBIAN-VERSION"

if [ "${QEMU_FETCH_KEEP:-0}" != 1 ]; then
  rm -rf "$work"
fi
echo "export QEMU_SRC=$(cd "$dest" && pwd)"
