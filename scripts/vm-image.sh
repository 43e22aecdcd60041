#!/usr/bin/env bash
# Build the guest for the real-VM test (test/vm/guest-vm.test.ts): Debian's kernel
# booted directly (PVH, no decompressor to emulate) with an initramfs holding
# busybox, this machine's node and the agent from dist/. Its /init
# (test/vm/guest-init.sh) runs bin/qga on a virtio-serial port and on the
# isa-serial port /dev/ttyS1, and Debian's qemu-ga on a second virtio-serial port.
#
# Output in $QGA_VM_DIR (default node_modules/.cache/vm): vmlinux, initramfs.img.
# The kernel package is downloaded once (apt-get download, nothing installed)
# and what the guest needs of it is kept there (kernel-PKG/); the initramfs is
# rebuilt on every run so that it holds the current build.
#
# Host packages (installed by .ci/run): qemu-system-x86 busybox-static cpio
# xz-utils, and qemu-guest-agent (Debian's qemu-ga also runs in the guest).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
out=${QGA_VM_DIR:-$repo/node_modules/.cache/vm}
mkdir -p "$out"

missing=()
command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
command -v cpio >/dev/null || missing+=(cpio)
command -v xz >/dev/null || missing+=(xz-utils)
busybox=$(command -v busybox || true)
if [ -z "$busybox" ] || ldd "$busybox" >/dev/null 2>&1; then missing+=(busybox-static); fi
qemu_ga=${QEMU_GA:-/usr/sbin/qemu-ga}
[ -x "$qemu_ga" ] || missing+=(qemu-guest-agent)
if [ ${#missing[@]} -gt 0 ]; then
  echo "vm-image: missing host packages: ${missing[*]} (apt-get install --no-install-recommends ${missing[*]})" >&2
  exit 1
fi
[ -f "$repo/dist/agent/main.js" ] || { echo "vm-image: run npm run build first" >&2; exit 1; }

# ---- kernel: the package linux-image-amd64 points at, never installed. Only
# the kernel image (as an ELF vmlinux) and the virtio-serial modules are kept.
modules="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_console"
kpkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
[ -n "$kpkg" ] || { echo "vm-image: cannot tell which kernel package linux-image-amd64 means (apt-get update?)" >&2; exit 1; }
kernel="$out/kernel-$kpkg"
if [ ! -f "$kernel/vmlinux" ]; then
  work=$(mktemp -d "$out/fetch.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  # (apt's sandbox user may not write here; the warning it prints about that is harmless)
  (cd "$work" && apt-get download -qq "$kpkg" 2>&1 | grep -v 'unsandboxed' || true)
  deb=$(ls "$work"/*.deb 2>/dev/null) || { echo "vm-image: apt-get download $kpkg failed" >&2; exit 1; }
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$work" --wildcards './boot/vmlinuz-*' './lib/modules/*/kernel/drivers/virtio/*' './lib/modules/*/kernel/drivers/char/virtio_console.ko'
  mkdir -p "$work/out"
  for m in $modules; do find "$work/lib/modules" -name "$m.ko" -exec cp {} "$work/out/" \;; done
  # vmlinuz is a self-decompressing bzImage; QEMU boots the ELF inside it
  # through its PVH note, which saves seconds of emulated decompression.
  # (Through a file: xz stops reading at the end of its stream, which would
  # kill a feeding pipe with SIGPIPE.)
  vmlinuz=$(ls "$work"/boot/vmlinuz-*)
  offset=$(LC_ALL=C grep -m1 -obUaP '\xfd7zXZ\x00' "$vmlinuz" | cut -d: -f1)
  tail -c +$((offset + 1)) "$vmlinuz" > "$work/vmlinux.xz"
  xz -dc --single-stream "$work/vmlinux.xz" > "$work/out/vmlinux"
  [ "$(head -c 4 "$work/out/vmlinux" | tail -c 3)" = ELF ] || { echo "vm-image: no ELF kernel inside $vmlinuz" >&2; exit 1; }
  rm -rf "$out"/kernel-*
  mv "$work/out" "$kernel"
  rm -rf "$work"
fi

# ---- initramfs
root="$out/rootfs"
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/sbin,dev,proc,sys,tmp,run,var,etc,lib/modules,agent}
ln -s ../run "$root/var/run"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"; done

# A binary and the shared libraries ldd lists for it.
copy_with_libs() {
  install -D -m755 "$1" "$root$2"
  ldd "$1" | awk '/=> \// { print $3 } /^\t\/.*ld-linux/ { print $1 }' | while read -r lib; do
    [ -e "$root$lib" ] || install -D -m755 "$(readlink -f "$lib")" "$root$lib"
  done
}
node_bin=$(readlink -f "$(command -v node)")
copy_with_libs "$node_bin" /bin/node
strip "$root/bin/node" 2>/dev/null || true  # Node ships with symbols: 99 MB, 86 MB without
# Debian's qemu-ga beside ours, as the oracle for behaviour ours must improve on.
copy_with_libs "$qemu_ga" /usr/sbin/qemu-ga

# Debian builds virtio-serial as modules; /init loads them in the order listed.
for m in $modules; do cp "$kernel/$m.ko" "$root/lib/modules/"; done
echo "$modules" > "$root/lib/modules/load-order"

# The agent: what bin/qga loads (no npm dependencies at run time).
cp "$repo/package.json" "$root/agent/"
mkdir -p "$root/agent/bin" "$root/agent/dist"
cp "$repo/bin/qga" "$root/agent/bin/"
cp -r "$repo/dist/agent" "$repo/dist/runtime" "$repo/dist/generated" "$root/agent/dist/"
install -m755 "$repo/test/vm/guest-init.sh" "$root/init"
echo 'root:x:0:0:root:/:/bin/sh' > "$root/etc/passwd"

(cd "$root" && find . -print0 | cpio --null -o -H newc -R 0:0 --quiet) > "$out/initramfs.img.tmp"
rm -rf "$root"
mv "$out/initramfs.img.tmp" "$out/initramfs.img"
ln -f "$kernel/vmlinux" "$out/vmlinux"
echo "vm-image: $out/vmlinux ($kpkg), $out/initramfs.img ($(( $(stat -c %s "$out/initramfs.img") / 1048576 )) MiB)"
