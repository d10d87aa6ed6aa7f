#!/usr/bin/env node
// libsignal 0.90.0 (Node API) counterpart of bench/Parley.Benchmarks: the same operations, warm-up batches, then
// repeated timed batches; prints a table and writes JSON with the median ns/op of each operation.
//
//   node --expose-gc bench/libsignal/bench.mjs --parley-dll src/Parley.Cli/bin/Release/net10.0/parley.dll \
//        [--out results.json] [--no-spqr] [--filter TEXT] [--batches N] [--quick]
//
// Session operations need a peer to make the other half of each session. With Parley's `parley interop` as the peer,
// libsignal negotiates sessions without SPQR (as Parley has none), so both implementations do the same protocol work.
// The same operations are then measured again against libsignal's own driver (rows ending in "+spqr"), where two
// 0.90.0 parties negotiate SPQR, to show what libsignal's default costs.

import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { interopDir, libsignalVersion } from './src/libsignal.mjs';
import { localOperations, primitiveOperations, sessionOperations } from './src/operations.mjs';
import { libsignalPeer, parleyPeer } from './src/peer-driver.mjs';
import { defaults, measure } from './src/timing.mjs';

const { values: args } = parseArgs({
  options: {
    'parley-dll': { type: 'string' },
    out: { type: 'string' },
    'no-spqr': { type: 'boolean', default: false },
    filter: { type: 'string', default: '' },
    quick: { type: 'boolean', default: false },
    batches: { type: 'string' },
  },
});

if (args['parley-dll'] === undefined) {
  console.error('usage: node --expose-gc bench.mjs --parley-dll PATH/parley.dll [--out FILE] [--no-spqr] [--filter TEXT] [--batches N] [--quick]');
  process.exit(2);
}
if (globalThis.gc === undefined) {
  console.error('note: run node with --expose-gc so that every batch starts after a full collection (as BenchmarkDotNet does)');
}

const batches = args.batches === undefined ? undefined : Number.parseInt(args.batches, 10);
if (batches !== undefined && !(batches > 0)) {
  console.error('--batches must be a positive integer');
  process.exit(2);
}
const options = {
  ...(args.quick ? { warmupBatches: 1, measuredBatches: 3, batchMillis: 50 } : defaults),
  ...(batches === undefined ? {} : { measuredBatches: batches }),
};
const results = [];
const info = {};

async function runAll(operations) {
  for (const operation of operations) {
    if (!operation.id.includes(args.filter)) {
      continue;
    }
    const result = await measure(operation, options);
    results.push({ id: operation.id, ...result });
    console.error(`${operation.id.padEnd(30)} ${(result.medianNs / 1000).toFixed(2).padStart(10)} us  (batch ${result.batch}, min ${(result.minNs / 1000).toFixed(2)}, max ${(result.maxNs / 1000).toFixed(2)})`);
  }
}

await runAll(primitiveOperations());
await runAll(await localOperations());

const parley = parleyPeer(args['parley-dll']);
try {
  const session = await sessionOperations(parley);
  info.withParleyPeer = session.info;
  await runAll(session.operations);
} finally {
  await parley.quit();
}

if (!args['no-spqr']) {
  const libsignal = libsignalPeer(interopDir);
  try {
    const session = await sessionOperations(libsignal, '+spqr');
    info.withLibsignalPeer = session.info;
    await runAll(session.operations);
  } finally {
    await libsignal.quit();
  }
}

const report = {
  implementation: 'libsignal',
  libsignalVersion,
  node: process.version,
  options,
  records: info,
  results,
};
console.error(`session records: ${JSON.stringify(info)}`);
if (args.out !== undefined) {
  writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
} else {
  console.log(JSON.stringify(report, null, 2));
}
