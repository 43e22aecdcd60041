/**
 * UNSUPPORTED COMMANDS, in one place.
 *
 * Every command of the schema that this agent does not implement yet (the
 * rest of QEMU's Linux command set is a later issue) answers, as qemu-ga does
 * for a command it cannot run here, GenericError "this feature or command is not currently supported". Listing
 * them by name keeps the type checker's proof that every command of the
 * generated interface has exactly one handler: remove a line here when its
 * command gets a real handler, or the build fails.
 */
import { QmpError } from '../../runtime/errors';
import type { Handlers } from '../../generated/qga/dispatch.gen';
import type { AgentContext } from '../context';

export const UNSUPPORTED_MESSAGE = 'this feature or command is not currently supported';

function unsupported(): never {
  throw new QmpError('GenericError', UNSUPPORTED_MESSAGE);
}

export type ImplementedCommand =
  | 'qmp_guest_file_close'
  | 'qmp_guest_file_flush'
  | 'qmp_guest_file_open'
  | 'qmp_guest_file_read'
  | 'qmp_guest_file_seek'
  | 'qmp_guest_file_write'
  | 'qmp_guest_info'
  | 'qmp_guest_ping'
  | 'qmp_guest_sync'
  | 'qmp_guest_sync_delimited';

export const unsupportedHandlers: Omit<Handlers<AgentContext>, ImplementedCommand> = {
  qmp_guest_get_time: unsupported,
  qmp_guest_set_time: unsupported,
  qmp_guest_shutdown: unsupported,
  qmp_guest_fsfreeze_status: unsupported,
  qmp_guest_fsfreeze_freeze: unsupported,
  qmp_guest_fsfreeze_freeze_list: unsupported,
  qmp_guest_fsfreeze_thaw: unsupported,
  qmp_guest_fstrim: unsupported,
  qmp_guest_suspend_disk: unsupported,
  qmp_guest_suspend_ram: unsupported,
  qmp_guest_suspend_hybrid: unsupported,
  qmp_guest_network_get_interfaces: unsupported,
  qmp_guest_get_vcpus: unsupported,
  qmp_guest_set_vcpus: unsupported,
  qmp_guest_get_disks: unsupported,
  qmp_guest_get_fsinfo: unsupported,
  qmp_guest_set_user_password: unsupported,
  qmp_guest_get_memory_blocks: unsupported,
  qmp_guest_set_memory_blocks: unsupported,
  qmp_guest_get_memory_block_info: unsupported,
  qmp_guest_exec_status: unsupported,
  qmp_guest_exec: unsupported,
  qmp_guest_get_host_name: unsupported,
  qmp_guest_get_users: unsupported,
  qmp_guest_get_timezone: unsupported,
  qmp_guest_get_osinfo: unsupported,
  qmp_guest_ssh_get_authorized_keys: unsupported,
  qmp_guest_ssh_add_authorized_keys: unsupported,
  qmp_guest_ssh_remove_authorized_keys: unsupported,
  qmp_guest_get_diskstats: unsupported,
  qmp_guest_get_cpustats: unsupported,
  qmp_guest_get_load: unsupported,
  qmp_guest_network_get_route: unsupported,
  qmp_guest_get_statvfs: unsupported,
};
