/**
 * Production runs compiled JavaScript (`node dist/…`), not TypeScript through a loader: processes
 * whose speed and memory a benchmark measures run from a plain-JS copy of src/ made
 * here (TypeScript's transpiler, file by file, under node_modules/.cache so packages resolve).
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function* typescriptFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* typescriptFiles(path);
    else if (entry.name.endsWith('.ts')) yield path;
  }
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
  for (const file of [...typescriptFiles(join(ROOT, 'src')), ...benchFiles.map((f) => join(ROOT, f))]) {
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions: {
        target: ts.ScriptTarget.ES2023,
        module: ts.ModuleKind.ESNext,
        verbatimModuleSyntax: true,
      },
      fileName: file,
    });
    const target = join(out, relative(ROOT, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  cpSync(join(ROOT, 'src/simulator/page.html'), join(out, 'src/simulator/page.html'));
  // content.ts reads ../../flows from its own folder.
  symlinkSync(join(ROOT, 'flows'), join(out, 'flows'));
  return { dir: out, remove: () => rmSync(out, { recursive: true, force: true }) };
}
