/**
 * Raw mode for an isa-serial port, through stty(1) spawned with an argument
 * array: no echo, no line editing, no CR/LF translation, no software or
 * hardware flow control, 8 bits. `min 0 time 1` makes an idle read return
 * after 0.1 s so the reader thread can notice a stop request (bytes are still
 * delivered as soon as they arrive).
 */
import { spawnSync } from 'node:child_process';

export const RAW_SETTINGS = [
  'raw',
  '-echo',
  '-echoe',
  '-echok',
  '-echoctl',
  '-echoke',
  '-ixon',
  '-ixoff',
  '-crtscts',
  'cs8',
  'min',
  '0',
  'time',
  '1',
];

export function sttyArgs(path: string): string[] {
  return ['-F', path, ...RAW_SETTINGS];
}

/** Apply raw mode; throws with stty's complaint if it cannot. */
export function makeRaw(path: string, stty = 'stty'): void {
  const result = spawnSync(stty, sttyArgs(path), { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.error) {
    throw new Error(`cannot run ${stty}: ${result.error.message}`);
  }
  if (result.status !== 0) {
    throw new Error(`${stty} failed on ${path}: ${(result.stderr ?? '').trim()}`);
  }
}
