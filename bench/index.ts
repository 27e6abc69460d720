import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { heading } from './measure.ts';
import { benchPipeline } from './pipeline.ts';
import { benchPollCycle } from './poll-cycle.ts';

/**
 * `npm run bench`: every benchmark in one run, figures printed, nothing asserted. Each
 * section compares against a baseline measured in the same run, so figures are ratios
 * that mean something across machines.
 */

const started = performance.now();
console.log(
  `Lightstick benchmarks — node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ` +
    `load average ${loadavg()[0]?.toFixed(2) ?? '?'} at start (absolute figures move with it; same-run ratios much less)`,
);

await benchPipeline();
await benchPollCycle();

// Catalog autocomplete lives in its own file, written separately; run it when it is there.
const autocompleteFile = fileURLToPath(new URL('./autocomplete.ts', import.meta.url));
if (existsSync(autocompleteFile)) {
  heading('catalog autocomplete');
  const { benchAutocomplete } = (await import(autocompleteFile)) as { benchAutocomplete: () => Promise<void> };
  await benchAutocomplete();
} else {
  heading('catalog autocomplete');
  console.log('  skipped: bench/autocomplete.ts is not there yet');
}

console.log('');
console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
