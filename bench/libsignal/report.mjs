#!/usr/bin/env node
// Merges one run of bench/run-protocol.sh into Markdown: Parley's BenchmarkDotNet JSON (*-report-full.json) and
// bench.mjs's JSON, with the machine facts the script recorded. Prints to stdout. With several --parley directories
// and --libsignal files (the script's alternating rounds), each median is taken over the samples of all rounds.
//
//   node bench/libsignal/report.mjs --parley DIR... --libsignal FILE... [--machine FILE] [--command TEXT]

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { median } from './src/timing.mjs';

const { values: args } = parseArgs({
  options: {
    parley: { type: 'string', multiple: true },
    libsignal: { type: 'string', multiple: true },
    machine: { type: 'string' },
    command: { type: 'string' },
    'parley-record-bytes': { type: 'string' },
  },
});
if (args.parley === undefined || args.libsignal === undefined) {
  console.error('usage: node report.mjs --parley BDN_RESULTS_DIR --libsignal LIBSIGNAL_JSON [--machine FILE] [--command TEXT]');
  process.exit(2);
}

// Row order and labels; the ids are the BenchmarkDotNet descriptions and bench.mjs's operation ids.
const rows = [
  ['x25519.keygen', 'X25519 key pair (generate + public key)'],
  ['x25519.agree', 'X25519 agreement'],
  ['x25519.basekey-check', 'Base-key canonicity check (PQXDH recipient)'],
  ['xeddsa.sign', 'XEdDSA sign (33-byte message)'],
  ['xeddsa.verify', 'XEdDSA verify (33-byte message)'],
  ['kyber.keygen', 'Kyber1024 key pair'],
  ['kyber.encaps', 'Kyber1024 encapsulate'],
  ['kyber.decaps', 'Kyber1024 decapsulate'],
  ['pqxdh.initiate', 'PQXDH initiator: process a pre-key bundle'],
  ['pqxdh.respond', 'PQXDH recipient: decrypt the first PreKey message (100 B)'],
  ['ratchet.encrypt.100B', 'Double Ratchet encrypt, 100 B, in a chain'],
  ['ratchet.encrypt.16KiB', 'Double Ratchet encrypt, 16 KiB, in a chain'],
  ['ratchet.decrypt.100B', 'Double Ratchet decrypt, 100 B, in a chain'],
  ['ratchet.decrypt.16KiB', 'Double Ratchet decrypt, 16 KiB, in a chain'],
  ['ratchet.turn', 'Ratchet turn: decrypt 100 B with a new ratchet key'],
  ['group.encrypt.100B', 'Sender key encrypt, 100 B'],
  ['group.decrypt.100B', 'Sender key decrypt, 100 B'],
  ['group.distribution', 'Sender key distribution message, existing chain (store load only)'],
  ['fingerprint.5200', 'Safety number (5200 iterations, v2)'],
  ['record.serialize', 'Session record serialize'],
  ['record.deserialize', 'Session record deserialize'],
];

/** Per operation: every iteration's ns/op from every round, and the allocation per operation. */
function parleyResults(dirs) {
  const results = new Map();
  for (const dir of dirs) {
    for (const file of readdirSync(dir).filter((name) => name.endsWith('-report-full.json'))) {
      const report = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      for (const benchmark of report.Benchmarks) {
        if (benchmark.Statistics === null || benchmark.Statistics === undefined) {
          continue;
        }
        const entry = results.get(benchmark.MethodTitle) ?? { samples: [], allocated: null };
        entry.samples.push(...benchmark.Statistics.OriginalValues);
        entry.allocated ??= benchmark.Memory?.BytesAllocatedPerOperation ?? null;
        results.set(benchmark.MethodTitle, entry);
      }
    }
  }
  for (const entry of results.values()) {
    entry.medianNs = median(entry.samples);
  }
  return results;
}

/** Per operation: every timed batch's ns/op from every round. */
function libsignalResults(reports) {
  const results = new Map();
  for (const report of reports) {
    for (const result of report.results) {
      const entry = results.get(result.id) ?? { samples: [] };
      entry.samples.push(...(result.samplesNs ?? [result.medianNs]));
      results.set(result.id, entry);
    }
  }
  for (const entry of results.values()) {
    entry.medianNs = median(entry.samples);
  }
  return results;
}

function time(ns) {
  if (ns === undefined || ns === null) {
    return 'n/a';
  }
  if (ns < 1_000) {
    return `${ns.toPrecision(3)} ns`;
  }
  if (ns < 1_000_000) {
    return `${(ns / 1_000).toPrecision(3)} µs`;
  }
  return `${(ns / 1_000_000).toPrecision(3)} ms`;
}

function bytes(count) {
  if (count === null || count === undefined) {
    return '';
  }
  return count < 10_000 ? `${count} B` : `${(count / 1024).toFixed(1)} KiB`;
}

const ratio = (a, b) => (a === undefined || b === undefined ? '—' : `${(a / b).toFixed(2)}`);

const parley = parleyResults(args.parley);
const libsignalReports = args.libsignal.map((file) => JSON.parse(readFileSync(file, 'utf8')));
const libsignalReport = libsignalReports[0];
const libsignal = libsignalResults(libsignalReports);

const out = [];
if (args.command !== undefined) {
  out.push(`Command: \`${args.command}\``, '');
}
if (args.machine !== undefined) {
  out.push('Machine and conditions:', '');
  for (const line of readFileSync(args.machine, 'utf8').split('\n').filter((l) => l.trim() !== '')) {
    out.push(`- ${line}`);
  }
  out.push('');
}

out.push(
  `| operation | Parley median | libsignal ${libsignalReport.libsignalVersion} median | Parley / libsignal | Parley alloc/op |`,
  '|---|---:|---:|---:|---:|',
);
for (const [id, label] of rows) {
  const p = parley.get(id);
  const l = libsignal.get(id);
  if (p === undefined && l === undefined) {
    continue;
  }
  out.push(`| ${label} | ${time(p?.medianNs)} | ${time(l?.medianNs)} | ${ratio(p?.medianNs, l?.medianNs)} | ${bytes(p?.allocated)} |`);
}

const spqrRows = rows.filter(([id]) => libsignal.has(`${id}+spqr`));
if (spqrRows.length > 0) {
  out.push(
    '',
    'libsignal with and without SPQR (its default between two 0.90.0 parties is to negotiate SPQR; against Parley it negotiates it away):',
    '',
    '| operation | libsignal, no SPQR | libsignal, SPQR | SPQR / no SPQR |',
    '|---|---:|---:|---:|',
  );
  for (const [id, label] of spqrRows) {
    const plain = libsignal.get(id)?.medianNs;
    const spqr = libsignal.get(`${id}+spqr`)?.medianNs;
    out.push(`| ${label} | ${time(plain)} | ${time(spqr)} | ${ratio(spqr, plain)} |`);
  }
}

const records = libsignalReport.records ?? {};
const sizes = [];
if (args['parley-record-bytes'] !== undefined) {
  sizes.push(`Parley ${args['parley-record-bytes']} B`);
}
if (records.withParleyPeer !== undefined) {
  sizes.push(`libsignal without SPQR ${records.withParleyPeer.finalRecordBytes} B`);
}
if (records.withLibsignalPeer !== undefined) {
  sizes.push(`libsignal with SPQR ${records.withLibsignalPeer.finalRecordBytes} B (of which SPQR state ${records.withLibsignalPeer.pqRatchetStateBytes} B)`);
}
if (sizes.length > 0) {
  out.push('', `Session record used for the record rows: ${sizes.join('; ')}.`);
}
const rounds = Math.max(args.parley.length, args.libsignal.length);
const parleyIterations = Math.max(0, ...[...parley.values()].map((r) => r.samples.length));
const libsignalBatches = Math.max(0, ...[...libsignal.values()].map((r) => r.samples.length));
out.push(
  '',
  `Medians over ${rounds === 1 ? 'one round' : `${rounds} alternating rounds`}: Parley over ${parleyIterations} BenchmarkDotNet iterations per`,
  `operation, libsignal over ${libsignalBatches} timed batches (warm-up: ${libsignalReport.options.warmupBatches} batches or iterations per operation and round).`,
  `"n/a": not reachable through libsignal's Node API (raw Kyber encapsulation and decapsulation happen inside the PQXDH rows).`,
);
console.log(out.join('\n'));
