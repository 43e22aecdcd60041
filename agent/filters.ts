/**
 * Which commands are enabled, by qemu-ga 10.0's rule (ga_command_is_allowed):
 * an allow list, if given, denies everything not on it; the block list then
 * removes its members; while frozen only the freeze-safe six stay enabled,
 * whatever the lists say.
 */
export const FREEZE_SAFE: ReadonlySet<string> = new Set([
  'guest-ping',
  'guest-info',
  'guest-sync',
  'guest-sync-delimited',
  'guest-fsfreeze-status',
  'guest-fsfreeze-thaw',
]);

export interface FilterLists {
  allow: readonly string[];
  block: readonly string[];
}

export class CommandFilter {
  private readonly allow: ReadonlySet<string> | null;
  private readonly block: ReadonlySet<string>;

  constructor(
    lists: FilterLists,
    private readonly isFrozen: () => boolean,
  ) {
    this.allow = lists.allow.length > 0 ? new Set(lists.allow) : null;
    this.block = new Set(lists.block);
  }

  isEnabled(name: string): boolean {
    if (this.isFrozen()) {
      return FREEZE_SAFE.has(name);
    }
    if (this.allow !== null && !this.allow.has(name)) {
      return false;
    }
    return !this.block.has(name);
  }
}
