#!/usr/bin/env node
// `npm run build`: compiles the server the way `nest build` would, from nest-cli.json — the
// TypeScript compiler with the plugins it names (the @nestjs/swagger plugin documents every DTO
// and controller from its types, validators and comments) and its assets copied beside the output.
// It drives the compiler API itself rather than @nestjs/cli, whose dependencies require Node 22
// (docs/decisions.md). Incremental: a rebuild re-emits only what changed.
//   node scripts/build.mjs            build; exits 1 on type errors (the output is still written)
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import ts from 'typescript';

const root = new URL('..', import.meta.url).pathname;
const nest = JSON.parse(readFileSync(join(root, 'nest-cli.json'), 'utf8'));
const tsconfigPath = join(root, nest.compilerOptions?.tsConfigPath ?? 'tsconfig.json');

const parsed = ts.getParsedCommandLineOfConfigFile(tsconfigPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => fail([d]) });
const host = ts.createIncrementalCompilerHost(parsed.options);
const builder = ts.createIncrementalProgram({ rootNames: parsed.fileNames, options: parsed.options, host, configFileParsingDiagnostics: parsed.errors });
const program = builder.getProgram();

const before = [];
for (const plugin of nest.compilerOptions?.plugins ?? []) {
  const { name, options } = typeof plugin === 'string' ? { name: plugin, options: {} } : plugin;
  const mod = await import(`${name}/plugin`);
  before.push(mod.before(options ?? {}, program));
}

const emitted = builder.emit(undefined, undefined, undefined, false, { before });
const diagnostics = ts.sortAndDeduplicateDiagnostics([
  ...builder.getConfigFileParsingDiagnostics(),
  ...builder.getSyntacticDiagnostics(),
  ...builder.getSemanticDiagnostics(),
  ...emitted.diagnostics,
]);

const outDir = parsed.options.outDir ?? join(root, 'dist');
// Assets are `folder/*.ext` patterns, relative to the root, copied to the same place under outDir.
for (const pattern of nest.compilerOptions?.assets ?? []) {
  const dir = dirname(pattern);
  const suffix = basename(pattern).replace(/^\*/, '');
  if (!existsSync(join(root, dir))) continue;
  mkdirSync(join(outDir, dir), { recursive: true });
  for (const name of readdirSync(join(root, dir))) if (name.endsWith(suffix)) cpSync(join(root, dir, name), join(outDir, dir, name));
}

// A source moved or deleted leaves its old output behind, which the test runner would still find
// and run: output with no source any more goes.
const sources = new Set(parsed.fileNames.map((f) => f.replace(/\.tsx?$/, '')));
for (const dir of ['src', 'test', 'bench', 'scripts', 'migrations']) prune(join(outDir, dir));

function prune(dir) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) prune(path);
    else {
      const m = /^(.*)\.(js|js\.map|d\.ts)$/.exec(path);
      if (m && !sources.has(join(root, m[1].slice(outDir.length + 1)))) rmSync(path);
    }
  }
}

if (diagnostics.length) fail(diagnostics);

function fail(list) {
  process.stderr.write(
    ts.formatDiagnosticsWithColorAndContext(list, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' }),
  );
  process.exit(1);
}
