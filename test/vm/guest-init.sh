#!/bin/sh
# /init of the test guest (busybox sh, PID 1), built by scripts/vm-image.sh.
# Starts bin/qga twice: on the virtio-serial port org.qemu.guest_agent.0 and
# on the isa-serial port /dev/ttyS1 (ttyS0 is the console); and Debian's
# qemu-ga, the oracle, on the virtio-serial port qemu-ga.oracle. Their logs go
# to the console, which the host test keeps in a file.
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
mkdir -p /dev/virtio-ports /run

# The virtio-serial modules, in the order scripts/vm-image.sh listed them.
for m in $(cat /lib/modules/load-order); do
  insmod /lib/modules/$m.ko
done
# No udev: make the /dev/virtio-ports/NAME link ourselves once the port shows up.
i=0
while ! [ -e /dev/virtio-ports/org.qemu.guest_agent.0 ] || ! [ -e /dev/virtio-ports/qemu-ga.oracle ]; do
  [ $i -lt 100 ] || break
  for port in /sys/class/virtio-ports/vport*; do
    [ -e "$port/name" ] && ln -sf "../$(basename "$port")" "/dev/virtio-ports/$(cat "$port/name")"
  done
  i=$((i + 1))
  sleep 0.1
done

mkdir -p /tmp/state-virtio /tmp/state-isa /tmp/state-oracle
node /agent/bin/qga -m virtio-serial -t /tmp/state-virtio -v 2>&1 | sed 's/^/[qga virtio] /' &
node /agent/bin/qga -m isa-serial -t /tmp/state-isa -v 2>&1 | sed 's/^/[qga isa] /' &
/usr/sbin/qemu-ga -m virtio-serial -p /dev/virtio-ports/qemu-ga.oracle -t /tmp/state-oracle 2>&1 | sed 's/^/[qemu-ga] /' &
echo "[init] agents started"
wait
echo "[init] agents exited"
poweroff -f
