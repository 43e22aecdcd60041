#!/usr/bin/env bash
# Build the guest for the real-VM test (test/vm/guest-vm.test.ts): Debian's kernel
# booted directly (PVH, no decompressor to emulate) with an initramfs holding
# busybox, this machine's node and the agent from dist/. Its /init
# (test/vm/guest-init.sh) runs bin/qga on a virtio-serial port and on the
# isa-serial port /dev/ttyS1, and Debian's qemu-ga on a second virtio-serial port.
#
# Output in $QGA_VM_DIR (default node_modules/.cache/vm): vmlinux, initramfs.img.
# The kernel package is downloaded once (apt-get download, nothing installed)
# and kept there; the initramfs is rebuilt on every run so it holds the
# current build.
#
# Host packages (installed by .ci/run): qemu-system-x86 busybox-static cpio
# xz-utils, and qemu-guest-agent (Debian's qemu-ga also runs in the guest).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
out=${QGA_VM_DIR:-$repo/node_modules/.cache/vm}
mkdir -p "$out/debs"

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

# ---- kernel: the package linux-image-amd64 points at, unpacked, never installed
kpkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
[ -n "$kpkg" ] || { echo "vm-image: cannot tell which kernel package linux-image-amd64 means (apt-get update?)" >&2; exit 1; }
if [ ! -f "$out/kernel/.$kpkg" ]; then
  # (apt's sandbox user may not write here; the warning it prints about that is harmless)
  (cd "$out/debs" && ls "${kpkg}"_*.deb >/dev/null 2>&1 || apt-get download -qq "$kpkg" 2>&1 | grep -v 'unsandboxed' || true)
  ls "$out/debs/${kpkg}"_*.deb >/dev/null
  rm -rf "$out/kernel"
  dpkg-deb -x "$out/debs/${kpkg}"_*.deb "$out/kernel"
  touch "$out/kernel/.$kpkg"
fi
kver=$(ls "$out/kernel/lib/modules")
if [ ! -f "$out/vmlinux" ] || [ "$out/kernel/.$kpkg" -nt "$out/vmlinux" ]; then
  # vmlinuz is a self-decompressing bzImage; QEMU boots the ELF inside it
  # through its PVH note, which saves seconds of emulated decompression.
  offset=$(LC_ALL=C grep -m1 -obUaP '\xfd7zXZ\x00' "$out/kernel/boot/vmlinuz-$kver" | cut -d: -f1)
  # (through a file: xz stops reading at the end of its stream, which would
  # kill a feeding pipe with SIGPIPE)
  tail -c +$((offset + 1)) "$out/kernel/boot/vmlinuz-$kver" > "$out/vmlinux.xz"
  xz -dc --single-stream "$out/vmlinux.xz" > "$out/vmlinux.tmp"
  rm "$out/vmlinux.xz"
  [ "$(head -c 4 "$out/vmlinux.tmp" | tail -c 3)" = ELF ] || { echo "vm-image: no ELF kernel inside vmlinuz" >&2; exit 1; }
  mv "$out/vmlinux.tmp" "$out/vmlinux"
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
strip -o "$out/node" "$node_bin" 2>/dev/null || cp "$node_bin" "$out/node"
copy_with_libs "$out/node" /bin/node
# Debian's qemu-ga beside ours, as the oracle for behaviour ours must improve on.
copy_with_libs "$qemu_ga" /usr/sbin/qemu-ga

# Debian builds virtio-serial as modules; this is their dependency order.
for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_console; do
  find "$out/kernel/lib/modules/$kver/kernel/drivers" -name "$m.ko" -exec cp {} "$root/lib/modules/" \;
done

# The agent: what bin/qga loads (no npm dependencies at run time).
cp "$repo/package.json" "$root/agent/"
mkdir -p "$root/agent/bin" "$root/agent/dist"
cp "$repo/bin/qga" "$root/agent/bin/"
cp -r "$repo/dist/agent" "$repo/dist/runtime" "$repo/dist/generated" "$root/agent/dist/"
install -m755 "$repo/test/vm/guest-init.sh" "$root/init"
echo 'root:x:0:0:root:/:/bin/sh' > "$root/etc/passwd"

(cd "$root" && find . -print0 | cpio --null -o -H newc -R 0:0 --quiet) > "$out/initramfs.img.tmp"
mv "$out/initramfs.img.tmp" "$out/initramfs.img"
echo "vm-image: $out/vmlinux ($kpkg), $out/initramfs.img ($(( $(stat -c %s "$out/initramfs.img") / 1048576 )) MiB)"
