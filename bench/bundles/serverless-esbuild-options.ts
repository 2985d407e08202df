// Reads the esbuild settings of serverless.yml (`custom.esbuild`) and turns them into the options
// serverless-esbuild 1.57 passes to esbuild.build() (see node_modules/serverless-esbuild/dist/bundle.js
// and index.js getBuildOptions), so the benchmark bundles exactly what `osls package` bundles.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BuildOptions, Plugin } from 'esbuild';

/** A value of the small YAML subset the `custom.esbuild` block uses. */
export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

/** What serverless.yml asks esbuild for, and the options that makes. */
export interface ServerlessBundleSettings {
  /** The `custom.esbuild` block as written. */
  readonly declared: Readonly<Record<string, YamlValue>>;
  /** `provider.runtime`, e.g. `nodejs22.x`. */
  readonly runtime: string | undefined;
  /** The options of esbuild.build(), without `entryPoints` and `outdir`. */
  readonly buildOptions: BuildOptions;
}

/** Settings serverless-esbuild removes before it calls esbuild (plugin-only). */
const PLUGIN_ONLY_SETTINGS = new Set([
  'concurrency',
  'zipConcurrency',
  'exclude',
  'nativeZip',
  'packager',
  'packagePath',
  'watch',
  'keepOutputDirectory',
  'packagerOptions',
  'installExtraArgs',
  'outputFileExtension',
  'outputBuildFolder',
  'outputWorkFolder',
  'nodeExternals',
  'skipBuild',
  'skipRebuild',
  'skipBuildExcludeFns',
  'stripEntryResolveExtensions',
  'disposeContext',
]);

/** serverless-esbuild's defaults for the settings that reach esbuild. */
const PLUGIN_DEFAULTS: Record<string, YamlValue> = {
  bundle: true,
  target: 'node18',
  external: [],
  exclude: ['aws-sdk'],
  platform: 'node',
  outputFileExtension: '.js',
};

/** Reads serverless.yml and returns the esbuild options `osls package` would use. */
export async function readServerlessBundleSettings(path: string): Promise<ServerlessBundleSettings> {
  const lines = meaningfulLines(await readFile(path, 'utf8'));
  const custom = parseBlock(topLevelBlock(lines, 'custom'));
  const declared = custom.esbuild;
  if (!isMapping(declared)) throw new Error(`${path}: no custom.esbuild block`);
  if ('config' in declared)
    throw new Error(`${path}: custom.esbuild.config (a JS file) is not supported here`);
  const provider = parseBlock(topLevelBlock(lines, 'provider'));
  const runtime = typeof provider.runtime === 'string' ? provider.runtime : undefined;
  const runtimeTarget = runtime?.match(/^nodejs(\d+)\.x$/)?.[1];

  const merged: Record<string, YamlValue> = {
    ...PLUGIN_DEFAULTS,
    ...(runtimeTarget ? { target: `node${runtimeTarget}` } : {}),
    ...declared,
  };
  const esbuildSettings = Object.fromEntries(
    Object.entries(merged).filter(([key]) => !PLUGIN_ONLY_SETTINGS.has(key) && key !== 'plugins'),
  );
  // serverless-esbuild require()s `plugins` (a path relative to the service) for an array of plugins.
  const plugins =
    typeof merged.plugins === 'string'
      ? (createRequire(import.meta.url)(join(dirname(path), merged.plugins)) as Plugin[])
      : [];
  const exclude = stringList(merged.exclude);
  const extension = typeof merged.outputFileExtension === 'string' ? merged.outputFileExtension : '.js';
  const buildOptions = {
    ...esbuildSettings,
    external: [...stringList(merged.external), ...(exclude.includes('*') ? [] : exclude)],
    ...(extension === '.js' ? {} : { outExtension: { '.js': extension } }),
    ...(plugins.length > 0 ? { plugins } : {}),
  } as BuildOptions;
  return { declared, runtime, buildOptions };
}

interface Line {
  readonly indent: number;
  readonly text: string;
}

/** Non-blank lines without comments, with their indentation. */
function meaningfulLines(source: string): Line[] {
  return source
    .split(/\r?\n/)
    .map((raw) => {
      const text = withoutComment(raw).trimEnd();
      return { indent: text.length - text.trimStart().length, text: text.trim() };
    })
    .filter((line) => line.text !== '');
}

/** The lines under the top-level `key:`. */
function topLevelBlock(lines: readonly Line[], key: string): Line[] {
  const start = lines.findIndex((line) => line.indent === 0 && line.text === `${key}:`);
  if (start < 0) return [];
  const block: Line[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.indent === 0) break;
    block.push(line);
  }
  return block;
}

function parseBlock(lines: readonly Line[]): Record<string, YamlValue> {
  return lines[0] === undefined ? {} : parseMapping(lines, lines[0].indent);
}

/** Parses `key: scalar`, `key:` + `- item` lists and `key:` + nested mappings at `indent`. */
function parseMapping(lines: readonly Line[], indent: number): Record<string, YamlValue> {
  const mapping: Record<string, YamlValue> = {};
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index];
    if (line === undefined || line.indent !== indent) continue;
    const match = /^([A-Za-z0-9_-]+):(?:\s+(.*))?$/.exec(line.text);
    if (!match?.[1]) throw new Error(`serverless.yml: cannot read line "${line.text}"`);
    if (match[2] !== undefined) {
      mapping[match[1]] = scalar(match[2]);
      continue;
    }
    const children: Line[] = [];
    for (const next of lines.slice(index + 1)) {
      if (next.indent <= indent) break;
      children.push(next);
    }
    const first = children[0];
    if (first === undefined) mapping[match[1]] = null;
    else if (first.text.startsWith('- ')) {
      mapping[match[1]] = children
        .filter((child) => child.indent === first.indent)
        .map((child) => scalar(child.text.slice(2).trim()));
    } else mapping[match[1]] = parseMapping(children, first.indent);
  }
  return mapping;
}

function scalar(text: string): YamlValue {
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === 'null' || text === '~') return null;
  if (text === '[]') return [];
  if (text === '{}') return {};
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text.startsWith('"')) return JSON.parse(text) as string;
  if (text.startsWith("'")) return text.slice(1, -1).replaceAll("''", "'");
  return text;
}

/** Cuts a `#` comment that is outside quotes and starts the line or follows a space. */
function withoutComment(line: string): string {
  let quote: string | undefined;
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index];
    if (quote) {
      if (char === '\\' && quote === '"') index += 1;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '#' && (index === 0 || /\s/.test(line[index - 1] ?? ''))) return line.slice(0, index);
  }
  return line;
}

function isMapping(value: YamlValue | undefined): value is Record<string, YamlValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: YamlValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
