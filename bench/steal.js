'use strict';
/**
 * Hypervisor steal, for benchmarks that compare two programs on this
 * machine. The machine is itself a VM, and its host now and then takes the
 * CPUs away for a while (a run then takes two to ten times as long, for
 * either program). The kernel counts that time as steal (/proc/stat); a
 * timed section that saw steal measured the host, not the program. The rule
 * looks only at the machine, never at the results, so it drops both
 * programs alike.
 */
const fs = require('node:fs');
const os = require('node:os');

/** Clock ticks (USER_HZ) the hypervisor has stolen from this machine, all CPUs; NaN where unknown. */
function stealTicks() {
  try {
    const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/);
    return cpu.length > 8 ? Number(cpu[8]) : NaN;
  } catch {
    return NaN;
  }
}

/**
 * Steal a timed section may see and still count as clean: one tick (the
 * counter's resolution, 10 ms), or 1% of the CPU time the section spanned.
 */
function disturbed(stolen, seconds) {
  if (Number.isNaN(stolen)) return false;
  return stolen > Math.max(1, 0.01 * seconds * 100 * os.cpus().length);
}

module.exports = { stealTicks, disturbed };
