/** `npm run bench`: prints a table; counts come from BENCH_* variables (see each file). */
import { cpus, totalmem } from 'node:os';
import { benchFiring } from './firing.js';
import { benchScheduling } from './scheduling.js';

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
console.log(`Huella benchmarks on ${machine}\n`);
const only = process.argv[2];
if (!only || only === 'scheduling') {
  const s = await benchScheduling();
  console.table(s);
}
if (!only || only === 'firing') {
  const f = await benchFiring();
  console.table(f);
}
process.exit(0);
