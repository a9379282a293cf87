/**
 * Reads `node --trace-gc` output. RSS alone cannot tell a leak from a heap that
 * V8 lets grow under load and gives back later; the live heap after each full
 * (mark-compact) collection can: it only climbs run after run if something is
 * retained.
 */
export interface MajorGc {
  /** Milliseconds since the isolate started. */
  atMs: number;
  /** Heap used before and after the collection, MB. */
  beforeMb: number;
  afterMb: number;
}

const LINE = /^\[(\d+):(0x[0-9a-f]+)\]\s+(\d+) ms: (Scavenge|Mark-Compact|Mark-sweep|Minor Mark-Compact|Minor Mark-Sweep)\S*(?: \([a-z ]+\))? ([\d.]+) \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB/;

/** The full collections of the busiest isolate in `text` (the main thread, not the tsx loader's worker). */
export function majorCollections(text: string): MajorGc[] {
  const byIsolate = new Map<string, { lines: number; major: MajorGc[] }>();
  for (const line of text.split("\n")) {
    const match = LINE.exec(line);
    if (!match) continue;
    const [, pid, isolate, at, kind, before, after] = match;
    const key = `${pid}:${isolate}`;
    const entry = byIsolate.get(key) ?? { lines: 0, major: [] };
    entry.lines += 1;
    if (kind === "Mark-Compact" || kind === "Mark-sweep") {
      entry.major.push({ atMs: Number(at), beforeMb: Number(before), afterMb: Number(after) });
    }
    byIsolate.set(key, entry);
  }
  const busiest = [...byIsolate.values()].sort((a, b) => b.lines - a.lines)[0];
  return busiest?.major ?? [];
}
