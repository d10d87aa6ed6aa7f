#!/usr/bin/env node
// libsignal (Node API) counterpart of bench/Parley.Benchmarks: the same operations, warm-up batches, then repeated
// timed batches; prints a table and writes JSON with the median ns/op of each operation.
//
//   node --expose-gc bench/libsignal/bench.mjs --parley-dll src/Parley.Cli/bin/Release/net10.0/parley.dll \
//        [--libsignal interop|bench] [--out results.json] [--no-spqr] [--filter TEXT] [--batches N] [--quick]
//
// --libsignal interop (default): 0.90.0, pinned by interop/. Session operations need a peer to make the other half of
// each session. With Parley's `parley interop` as the peer, libsignal negotiates sessions without SPQR (as Parley has
// none), so both implementations do the same protocol work. The same operations are then measured again against
// libsignal's own driver (rows ending in "+spqr"), where two 0.90.0 parties negotiate SPQR, to show what libsignal's
// default costs.
// --libsignal bench: 0.103.0, pinned by bench/libsignal/package.json (npm ci there). It requires SPQR, so its
// sessions are made with a second 0.103.0 party in this process (src/local-peer.mjs) and always use SPQR.

import { register } from 'node:module';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    'parley-dll': { type: 'string' },
    libsignal: { type: 'string', default: 'interop' },
    out: { type: 'string' },
    'no-spqr': { type: 'boolean', default: false },
    filter: { type: 'string', default: '' },
    quick: { type: 'boolean', default: false },
    batches: { type: 'string' },
  },
});

if (args['parley-dll'] === undefined || !['interop', 'bench'].includes(args.libsignal)) {
  console.error('usage: node --expose-gc bench.mjs --parley-dll PATH/parley.dll [--libsignal interop|bench] [--out FILE] [--no-spqr] [--filter TEXT] [--batches N] [--quick]');
  process.exit(2);
}

// The release is chosen before anything loads libsignal: src/libsignal.mjs reads the variable, and for the bench/
// install the hook makes interop/'s stores resolve the same release.
process.env.PARLEY_BENCH_LIBSIGNAL = args.libsignal;
if (args.libsignal === 'bench') {
  register('./src/resolve-hook.mjs', import.meta.url, { data: { parentURL: new URL('./package.json', import.meta.url).href } });
}
const { interopDir, libsignalVersion, selection } = await import('./src/libsignal.mjs');
const { localOperations, primitiveOperations, sessionOperations } = await import('./src/operations.mjs');
const { libsignalPeer, parleyPeer } = await import('./src/peer-driver.mjs');
const { LocalPeer } = await import('./src/local-peer.mjs');
const { defaults, measure } = await import('./src/timing.mjs');
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

if (selection === 'bench') {
  // SPQR is required from 0.92 on: the only peer is another party of the same release.
  const session = await sessionOperations(new LocalPeer());
  info.withLibsignalPeer = session.info;
  await runAll(session.operations);
} else {
  const parley = parleyPeer(args['parley-dll']);
  try {
    const session = await sessionOperations(parley);
    info.withParleyPeer = session.info;
    await runAll(session.operations);
  } finally {
    await parley.quit();
  }
}

if (selection === 'interop' && !args['no-spqr']) {
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
