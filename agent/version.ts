/**
 * The version guest-info and -V report. Clients compare it with QEMU's
 * (libvirt and others gate features on it), so we report the QEMU release
 * whose qemu-ga we reproduce, not our package version.
 */
export const QGA_VERSION = '10.0.0';
export const AGENT_NAME = 'qapi-ts guest agent';
