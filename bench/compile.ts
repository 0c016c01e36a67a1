/**
 * Production runs compiled JavaScript (`node dist/…`), not TypeScript through a loader: processes
 * whose speed and memory a benchmark measures run from a plain-JS copy of src/ made
 * here (TypeScript's transpiler, file by file, under node_modules/.cache so packages resolve).
 * BENCH_SOURCE=<git revision> compiles that commit's files instead of the working tree (in a
 * shared tree, to measure what was committed rather than someone's edit in progress).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Files under `dir` (relative to the root), from the working tree or from a git revision. */
function sourceFiles(dir: string, revision: string | undefined): string[] {
  if (revision) {
    const listed = execFileSync('git', ['ls-tree', '-r', '--name-only', revision, '--', dir], { cwd: ROOT });
    return listed.toString().split('\n').filter(Boolean);
  }
  const walk = (folder: string): string[] =>
    readdirSync(join(ROOT, folder), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? walk(join(folder, entry.name)) : [join(folder, entry.name)],
    );
  return walk(dir);
}

function readSource(file: string, revision: string | undefined): string {
  return revision
    ? execFileSync('git', ['show', `${revision}:${file}`], { cwd: ROOT, maxBuffer: 64 * 2 ** 20 }).toString()
    : readFileSync(join(ROOT, file), 'utf8');
}

export interface Compiled {
  /** The copy's root: run `node <dir>/src/web-main.js`. */
  dir: string;
  remove(): void;
}

/**
 * Compiles src/ and the given bench files (which import only from src/) to a folder of this run
 * under `<root>/node_modules/.cache/`, keeping the layout.
 */
export function compileForBench(benchFiles: string[] = []): Compiled {
  const out = join(ROOT, 'node_modules', '.cache', `huella-bench-${process.pid}`);
  rmSync(out, { recursive: true, force: true });
  const revision = process.env.BENCH_SOURCE || undefined;
  for (const file of [...sourceFiles('src', revision), ...benchFiles]) {
    const target = join(out, file);
    mkdirSync(dirname(target), { recursive: true });
    if (!file.endsWith('.ts')) {
      writeFileSync(target, readSource(file, revision));
      continue;
    }
    const { outputText } = ts.transpileModule(readSource(file, revision), {
      compilerOptions: {
        target: ts.ScriptTarget.ES2023,
        module: ts.ModuleKind.ESNext,
        verbatimModuleSyntax: true,
      },
      fileName: file,
    });
    writeFileSync(target.replace(/\.ts$/, '.js'), outputText);
  }
  // content.ts reads ../../flows from its own folder.
  symlinkSync(join(ROOT, 'flows'), join(out, 'flows'));
  return { dir: out, remove: () => rmSync(out, { recursive: true, force: true }) };
}
