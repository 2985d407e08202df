// Bundles the two Lambda functions and a bare Bolt app with serverless.yml's esbuild settings, and
// the benchmark's own child scripts (run with plain `node`, so no TypeScript loader skews import times).

import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import type { ServerlessBundleSettings } from './serverless-esbuild-options.js';

/** One Lambda-style bundle and what went into it. */
export interface BundleReport {
  readonly name: string;
  readonly entry: string;
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly buildMs: number;
  /** Files esbuild read while resolving imports (tree-shaken ones included). */
  readonly inputsRead: number;
  /** `@anthropic-ai/sdk` files esbuild read, and the ones that put bytes into the output. */
  readonly anthropic: { readonly read: number; readonly inOutput: number; readonly bytesInOutput: number };
  /** Bytes in the output per npm package (`(app)` for the repository's own code), largest first. */
  readonly packages: ReadonlyArray<{ readonly name: string; readonly bytes: number }>;
}

const ANTHROPIC_SDK = /(^|\/)node_modules\/@anthropic-ai\/sdk\//;

/** Bundles `entry` (relative to `repoRoot`) into `outDir` exactly as serverless-esbuild would. */
export async function buildLambdaBundle(
  name: string,
  entry: string,
  repoRoot: string,
  outDir: string,
  settings: ServerlessBundleSettings,
): Promise<BundleReport> {
  const started = performance.now();
  const result = await build({
    ...settings.buildOptions,
    absWorkingDir: repoRoot,
    entryPoints: [entry],
    outdir: outDir,
    metafile: true,
    logLevel: 'warning',
  });
  const buildMs = performance.now() - started;
  const [file, output] = singleOutput(result.metafile, repoRoot);
  const content = await readFile(file);
  const inputs = Object.entries(output.inputs);
  const anthropicInOutput = inputs.filter(
    ([path, input]) => ANTHROPIC_SDK.test(path) && input.bytesInOutput > 0,
  );
  return {
    name,
    entry,
    file,
    bytes: content.length,
    gzipBytes: gzipSync(content).length,
    buildMs,
    inputsRead: Object.keys(result.metafile.inputs).length,
    anthropic: {
      read: Object.keys(result.metafile.inputs).filter((path) => ANTHROPIC_SDK.test(path)).length,
      inOutput: anthropicInOutput.length,
      bytesInOutput: anthropicInOutput.reduce((sum, [, input]) => sum + input.bytesInOutput, 0),
    },
    packages: bytesPerPackage(inputs),
  };
}

/** Bundles the child scripts for the local Node (not Lambda): readable, with the same `require` banner. */
export async function buildChildScripts(
  entries: Readonly<Record<string, string>>,
  repoRoot: string,
  outDir: string,
  settings: ServerlessBundleSettings,
): Promise<Record<string, string>> {
  const options: BuildOptions = {
    absWorkingDir: repoRoot,
    entryPoints: Object.values(entries),
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node.split('.')[0]}`,
    outExtension: { '.js': '.mjs' },
    mainFields: ['module', 'main'],
    logLevel: 'warning',
    ...(settings.buildOptions.banner ? { banner: settings.buildOptions.banner } : {}),
  };
  await build(options);
  return Object.fromEntries(
    Object.entries(entries).map(([name, entry]) => [
      name,
      join(outDir, `${basename(entry).replace(/\.ts$/, '')}.mjs`),
    ]),
  );
}

function singleOutput(metafile: Metafile, repoRoot: string): [string, Metafile['outputs'][string]] {
  const outputs = Object.entries(metafile.outputs).filter(([path]) => !path.endsWith('.map'));
  const [only] = outputs;
  if (outputs.length !== 1 || only === undefined) {
    throw new Error(`expected one bundle, esbuild wrote ${outputs.map(([path]) => path).join(', ')}`);
  }
  return [join(repoRoot, only[0]), only[1]];
}

function bytesPerPackage(
  inputs: ReadonlyArray<[string, { bytesInOutput: number }]>,
): Array<{ name: string; bytes: number }> {
  const totals = new Map<string, number>();
  for (const [path, input] of inputs) {
    // The last node_modules segment names the package (pnpm nests them under .pnpm/<id>/node_modules/).
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?:(?!node_modules\/).)*$/.exec(path);
    const name = match?.[1] ?? '(app)';
    totals.set(name, (totals.get(name) ?? 0) + input.bytesInOutput);
  }
  return [...totals].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}
