import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_FLOWS_DIR } from '../../src/conversation/content.js';

/** A copy of flows/ in a temporary folder, its graph.yaml with `from` replaced by `to` (a check's bad input). */
export function flowsWithGraphEdit(from: string, to: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'huella-flows-edit-'));
  cpSync(DEFAULT_FLOWS_DIR, dir, { recursive: true });
  const graph = readFileSync(join(dir, 'graph.yaml'), 'utf8');
  if (!graph.includes(from)) throw new Error(`graph.yaml holds no "${from}" to replace`);
  writeFileSync(join(dir, 'graph.yaml'), graph.replace(from, to));
  return dir;
}
