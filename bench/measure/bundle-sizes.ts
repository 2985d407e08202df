// Section 1: the events and worker functions and a bare Bolt app, bundled with serverless.yml's
// esbuild settings; sizes, gzip sizes, what is in them, and whether the model SDK got in.

import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readZipEntries } from '../../tests/deploy/read-zip-entries.js';
import { type BundleReport, buildChildScripts, buildLambdaBundle } from '../bundles/build-bundles.js';
import { readServerlessBundleSettings } from '../bundles/serverless-esbuild-options.js';
import { bytes, formatTable, say, section, verdict } from '../harness/results-table.js';

export interface BuiltBundles {
  readonly events: BundleReport;
  readonly worker: BundleReport;
  /** The bare Bolt app with the same options and plugins as the functions (like for like). */
  readonly bareBolt: BundleReport;
  /** The bare Bolt app bundled as Bolt ships, without this project's plugins: the bundle target's reference. */
  readonly bareBoltAsShipped: BundleReport;
  /** The child process scripts, bundled for the local Node. */
  readonly invokeScript: string;
  readonly dependencyScript: string;
  /** The HTTP load generator of the local-mode burst. */
  readonly burstClientScript: string;
  /** The events function without minification, to attribute CPU profile samples (`--profile` only). */
  readonly profiledEvents?: string;
}

/** Builds everything into `outDir` (emptied first) and prints section 1. */
export async function measureBundleSizes(
  repoRoot: string,
  outDir: string,
  options: { readonly profile: boolean },
): Promise<BuiltBundles> {
  section('1. Bundle sizes (esbuild, options from serverless.yml custom.esbuild)');
  const settings = await readServerlessBundleSettings(join(repoRoot, 'serverless.yml'));
  const { bundle, minify, treeShaking, target, format, platform, external } = settings.buildOptions;
  say(
    `runtime ${settings.runtime ?? '?'}; bundle ${String(bundle)}, minify ${String(minify)}, treeShaking ` +
      `${String(treeShaking)}, target ${String(target)}, ${String(platform)}/${String(format)}, ` +
      `external [${(external ?? []).join(', ')}], require banner ${settings.buildOptions.banner ? 'yes' : 'no'}`,
  );
  await rm(outDir, { recursive: true, force: true });
  const lambdaDir = join(outDir, 'lambda');
  await mkdir(lambdaDir, { recursive: true });
  const lambda = (name: string, entry: string) =>
    buildLambdaBundle(name, entry, repoRoot, lambdaDir, settings);
  const events = await lambda('events', 'src/handlers/lambda-events.ts');
  const worker = await lambda('worker', 'src/handlers/lambda-worker.ts');
  const bareBolt = await lambda('bare Bolt', 'bench/apps/bare-bolt-app.ts');
  const bareBoltAsShipped = await buildLambdaBundle(
    'bare Bolt, as shipped',
    'bench/apps/bare-bolt-app.ts',
    repoRoot,
    join(outDir, 'as-shipped'),
    { ...settings, buildOptions: { ...settings.buildOptions, plugins: [] } },
  );
  const profiledEvents = options.profile
    ? (
        await buildLambdaBundle(
          'events (not minified)',
          'src/handlers/lambda-events.ts',
          repoRoot,
          join(outDir, 'profile'),
          { ...settings, buildOptions: { ...settings.buildOptions, minify: false } },
        )
      ).file
    : undefined;
  const children = await buildChildScripts(
    {
      invoke: 'bench/children/invoke-handler.ts',
      dependencies: 'bench/children/dependency-calls.ts',
      burstClient: 'bench/children/reply-burst-client.ts',
    },
    repoRoot,
    join(outDir, 'children'),
    settings,
  );
  const { invoke: invokeScript, dependencies: dependencyScript, burstClient: burstClientScript } = children;
  if (!invokeScript || !dependencyScript || !burstClientScript) {
    throw new Error('the child scripts were not built');
  }

  say(
    formatTable(
      ['bundle', 'entry', '.mjs bytes', 'gzip bytes', 'x bare', 'build ms'],
      [events, worker, bareBolt, bareBoltAsShipped].map((report) => [
        report.name,
        report.entry,
        bytes(report.bytes),
        bytes(report.gzipBytes),
        (report.bytes / bareBolt.bytes).toFixed(2),
        report.buildMs.toFixed(0),
      ]),
    ),
  );
  await comparePackagedBundle(join(repoRoot, '.serverless', 'events.zip'), events);
  say();
  say(`largest parts of the events bundle: ${packageList(events.packages.slice(0, 8))}`);
  say(`largest parts of the bare Bolt bundle: ${packageList(bareBolt.packages.slice(0, 8))}`);
  say(
    `what the events bundle adds to the bare one: ${packageList(additions(events, bareBolt).slice(0, 10))}`,
  );
  const reached =
    events.anthropic.read === 0
      ? 'not even reached through imports'
      : `esbuild read ${events.anthropic.read} of its files through imports, then tree-shook them`;
  say(
    `@anthropic-ai/sdk in the events bundle: ${events.anthropic.inOutput} files, ` +
      `${bytes(events.anthropic.bytesInOutput)} bytes (${reached}): ${verdict(events.anthropic.inOutput === 0)}`,
  );
  return {
    events,
    worker,
    bareBolt,
    bareBoltAsShipped,
    invokeScript,
    dependencyScript,
    burstClientScript,
    ...(profiledEvents ? { profiledEvents } : {}),
  };
}

function packageList(packages: ReadonlyArray<{ name: string; bytes: number }>): string {
  return packages.map((item) => `${item.name} ${(item.bytes / 1024).toFixed(0)}K`).join(', ');
}

/** Bytes per package that `report` has beyond `baseline`, largest first. */
function additions(report: BundleReport, baseline: BundleReport): Array<{ name: string; bytes: number }> {
  const base = new Map(baseline.packages.map((item) => [item.name, item.bytes]));
  return report.packages
    .map((item) => ({ name: item.name, bytes: item.bytes - (base.get(item.name) ?? 0) }))
    .filter((item) => item.bytes > 1024)
    .sort((a, b) => b.bytes - a.bytes);
}

/** Prints whether the last `pnpm run package` output holds the same events bundle as this build. */
async function comparePackagedBundle(zipPath: string, events: BundleReport): Promise<void> {
  const packaged = await stat(zipPath).catch(() => undefined);
  if (!packaged) return;
  const entries = await readZipEntries(zipPath).catch(() => []);
  const inZip = entries.find((entry) => entry.name.endsWith('lambda-events.mjs'));
  if (!inZip) return;
  const same = inZip.content.equals(await readFile(events.file));
  say(
    `(.serverless/events.zip of ${packaged.mtime.toISOString()} holds a ${bytes(inZip.content.length)}-byte ` +
      `lambda-events.mjs: ${same ? 'byte for byte this build' : 'not this build (packaged from other sources)'})`,
  );
}
