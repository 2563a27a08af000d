/** "1 row", "2 rows": a count with its noun in the right number, for every message pitstop prints. */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
