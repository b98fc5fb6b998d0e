/**
 * Young-generation collections on demand, for code that moves a lot of bytes through
 * short-lived Buffers while allocating few JS objects.
 *
 * Why: a COPY export streams its CSV through buffers that die at once (the socket's
 * reads, which the export rewrites in place and hands on). Their memory lives outside the JS
 * heap and is freed only when V8 collects the small Buffer objects pointing at it. V8 collects
 * the young generation when its 16 MB of *JS* allocation fills, which these streams take
 * many times that in buffers to do. So dead buffers pile up between collections, and the
 * allocator keeps those pages: a large export grows the process's RSS. One short scavenge per
 * couple of MB moved costs the export little and keeps that growth small.
 * `npm run bench:export` measures both (figures: bench/RESULTS.md).
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

type GcFunction = (options: { type: "minor" | "major"; execution?: "sync" | "async" }) => void;

let gc: GcFunction | undefined;

/**
 * V8's gc() without `node --expose-gc`: the flag makes new contexts carry it. It is switched off
 * again at once, so nothing else (vm sandboxes included) gets it.
 */
function gcFunction(): GcFunction {
  if (gc) return gc;
  const exposed = (globalThis as { gc?: GcFunction }).gc;
  if (exposed) return (gc = exposed);
  setFlagsFromString("--expose-gc");
  try {
    gc = runInNewContext("gc") as GcFunction;
  } finally {
    setFlagsFromString("--no-expose-gc");
  }
  return gc;
}

/** Returns `moved(bytes)`: call it with each chunk's size; it scavenges every `everyBytes` bytes. */
export function scavengeEvery(everyBytes: number): (bytes: number) => void {
  const collect = gcFunction();
  let since = 0;
  return (bytes) => {
    since += bytes;
    if (since < everyBytes) return;
    since = 0;
    collect({ type: "minor" });
  };
}
