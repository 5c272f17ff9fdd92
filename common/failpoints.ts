/**
 * Failpoints for crash tests: with FANGPIN_FAILPOINT=<name> the process kills itself (SIGKILL, no cleanup) when it
 * reaches the point of that name, exactly as a power cut there would. Unset (always, outside tests), nothing happens.
 */
const active = process.env.FANGPIN_FAILPOINT;

export function failpoint(name: string): void {
  if (active !== undefined && active === name) process.kill(process.pid, 'SIGKILL');
}
