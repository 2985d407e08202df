// Attributes the samples of a V8 CPU profile to npm packages. The profiled bundle is built without
// minification, where esbuild starts each input file with a `// <path>` comment line: the line a
// function sits on tells which file, and so which package, it came from. A sample in Node's own
// JavaScript or in native code counts for the nearest bundle function below it on the stack (the
// package that asked for the work); samples with no bundle function on the stack (event-loop
// callbacks such as socket reads and deferred socket writes, idle, GC) get a Node or V8 label.

import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

/** The parts of a V8 `Profiler.Profile` read here. */
export interface CpuProfile {
  readonly nodes: ReadonlyArray<{
    readonly id: number;
    readonly callFrame: { readonly url: string; readonly lineNumber: number; readonly functionName: string };
    readonly children?: readonly number[];
  }>;
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
}

export interface ProfileShare {
  readonly part: string;
  readonly ms: number;
  readonly share: number;
}

/** Time per package (or Node/V8 bucket) over the whole profile, largest first. */
export async function summarizeProfile(profile: CpuProfile, bundleFile: string): Promise<ProfileShare[]> {
  const bundleUrl = pathToFileURL(bundleFile).href;
  const fileStarts = inputFileStarts(await readFile(bundleFile, 'utf8'));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const ownPackage = new Map<number, string | undefined>();
  for (const node of profile.nodes) {
    const { url, lineNumber } = node.callFrame;
    ownPackage.set(node.id, url === bundleUrl ? packageAt(fileStarts, lineNumber) : undefined);
  }
  const partOfNode = new Map<number, string>();
  for (const node of profile.nodes) {
    // The stack from this function down to the root; V8 stacks here are a few dozen frames at most.
    const stack: Array<CpuProfile['nodes'][number]['callFrame']> = [];
    let found: string | undefined;
    for (
      let id: number | undefined = node.id;
      id !== undefined && found === undefined;
      id = parentOf.get(id)
    ) {
      found = ownPackage.get(id);
      const frame = byId.get(id)?.callFrame;
      if (frame) stack.push(frame);
    }
    partOfNode.set(node.id, found ?? runtimePart(stack));
  }
  const totals = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let all = 0;
  samples.forEach((id, index) => {
    const micros = deltas[index] ?? 0;
    const part = partOfNode.get(id) ?? '(unknown)';
    totals.set(part, (totals.get(part) ?? 0) + micros);
    all += micros;
  });
  return [...totals]
    .map(([part, micros]) => ({ part, ms: micros / 1000, share: micros / Math.max(1, all) }))
    .sort((a, b) => b.ms - a.ms);
}

/** [first line (0-based), input path] of each input file in a non-minified esbuild bundle, in order. */
function inputFileStarts(bundle: string): Array<[number, string]> {
  const starts: Array<[number, string]> = [];
  bundle.split('\n').forEach((line, index) => {
    const match = /^\/\/ ((?:node_modules|src|bench|tests)\/\S+)$/.exec(line);
    if (match?.[1]) starts.push([index, match[1]]);
  });
  return starts;
}

function packageAt(starts: ReadonlyArray<[number, string]>, line: number): string {
  let low = 0;
  let high = starts.length - 1;
  let found: string | undefined;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const start = starts[middle];
    if (start && start[0] <= line) {
      found = start[1];
      low = middle + 1;
    } else high = middle - 1;
  }
  if (found === undefined) return 'bundle runtime helpers';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?:(?!node_modules\/).)*$/.exec(found);
  return match?.[1] ?? `app (${found.split('/').slice(0, 2).join('/')})`;
}

/** A label for a stack with no bundle function on it, from its frames (leaf first). */
function runtimePart(stack: ReadonlyArray<{ readonly url: string; readonly functionName: string }>): string {
  const urls = stack.map((frame) => frame.url);
  if (urls.some((url) => url.endsWith('/invoke-handler.mjs'))) return 'benchmark harness';
  if (urls.some((url) => /_http_|node:net|stream_base_commons|internal\/net/.test(url))) {
    return 'node: sockets and HTTP parsing';
  }
  if (urls.some((url) => url.includes('deps/undici'))) return 'node: fetch (undici)';
  const leaf = stack[0]?.functionName ?? '';
  if (leaf === '(idle)') return 'idle (waiting for I/O)';
  if (leaf === '(garbage collector)') return 'garbage collector';
  if (leaf === '(program)') return 'V8/Node native code';
  if (urls.some((url) => url.includes('task_queues'))) return 'node: promise and tick queues';
  if (urls.some((url) => url.startsWith('node:') || url.startsWith('internal/'))) return 'node: other';
  return `other: ${leaf || '(anonymous)'}`;
}
