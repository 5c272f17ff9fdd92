/** The baseline's activity: does nothing, so the baseline measures the engine alone. */
export function noop(gate: number, index: number): Promise<number> {
  return Promise.resolve(gate * 100 + index);
}
