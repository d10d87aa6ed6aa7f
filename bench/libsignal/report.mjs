#!/usr/bin/env node
// Merges one run of bench/run-protocol.sh into Markdown: Parley's BenchmarkDotNet JSON (*-report-full.json) and
// bench.mjs's JSON for libsignal 0.90.0 (--libsignal) and, optionally, a newer release (--libsignal-next), with the
// machine facts the script recorded. Prints to stdout. With several --parley directories and --libsignal files (the
// script's alternating rounds), each median is taken over the samples of all rounds. A second table checks the goals
// of the protocol core on composite operations: at least 4x libsignal's throughput, and at most 1.5x the summed cost
// of the Parley primitives each operation performs, measured in the same run.
//
//   node bench/libsignal/report.mjs --parley DIR... --libsignal FILE... [--libsignal-next FILE...] [--machine FILE]
//        [--command TEXT]

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { median } from './src/timing.mjs';

const { values: args } = parseArgs({
  options: {
    parley: { type: 'string', multiple: true },
    libsignal: { type: 'string', multiple: true },
    'libsignal-next': { type: 'string', multiple: true },
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
  ['symmetric.seal.100B', 'Symmetric primitives of sending 100 B (chain HMACs, HKDF, AES-CBC, MAC)'],
  ['symmetric.seal.1KiB', 'Symmetric primitives of sending 1 KiB'],
  ['symmetric.open.100B', 'Symmetric primitives of receiving 100 B'],
  ['symmetric.open.1KiB', 'Symmetric primitives of receiving 1 KiB'],
  ['kdf.root-step', 'Root-key HKDF step (without its agreement)'],
  ['pqxdh.initiate', 'PQXDH initiator: process a pre-key bundle'],
  ['pqxdh.respond', 'PQXDH recipient: decrypt the first PreKey message (100 B)'],
  ['ratchet.encrypt.100B', 'Double Ratchet encrypt, 100 B, in a chain'],
  ['ratchet.encrypt.1KiB', 'Double Ratchet encrypt, 1 KiB, in a chain'],
  ['ratchet.encrypt.16KiB', 'Double Ratchet encrypt, 16 KiB, in a chain'],
  ['ratchet.decrypt.100B', 'Double Ratchet decrypt, 100 B, in a chain'],
  ['ratchet.decrypt.1KiB', 'Double Ratchet decrypt, 1 KiB, in a chain'],
  ['ratchet.decrypt.16KiB', 'Double Ratchet decrypt, 16 KiB, in a chain'],
  ['ratchet.turn', 'Ratchet turn: decrypt 100 B with a new ratchet key'],
  ['group.encrypt.100B', 'Sender key encrypt, 100 B'],
  ['group.decrypt.100B', 'Sender key decrypt, 100 B'],
  ['group.distribution', 'Sender key distribution message, existing chain (store load only)'],
  ['fingerprint.5200', 'Safety number (5200 iterations, v2)'],
  ['record.serialize', 'Session record serialize'],
  ['record.deserialize', 'Session record deserialize'],
];

// The operations the goals name, as sums of rows measured identically on every side, and the Parley primitives each
// one performs (counted from src/Parley.Protocol: with a one-time pre-key, the initiator verifies two signatures, makes
// a base and a ratchet key and does four PQXDH agreements plus one ratchet agreement, one Kyber encapsulation, the
// PQXDH HKDF and one root step; the recipient checks the base key, does four PQXDH agreements, one Kyber
// decapsulation, the PQXDH HKDF, and then a DH ratchet step: one key pair, two agreements, two root steps, and the
// symmetric work of the 100-byte message). The PQXDH HKDF (96 bytes) is counted as a root step (64 bytes).
const composites = [
  {
    label: 'One direction, 100 B: encrypt + decrypt in an established chain',
    parts: { 'ratchet.encrypt.100B': 1, 'ratchet.decrypt.100B': 1 },
    floor: { 'symmetric.seal.100B': 1, 'symmetric.open.100B': 1 },
  },
  {
    label: 'One direction, 1 KiB: encrypt + decrypt in an established chain',
    parts: { 'ratchet.encrypt.1KiB': 1, 'ratchet.decrypt.1KiB': 1 },
    floor: { 'symmetric.seal.1KiB': 1, 'symmetric.open.1KiB': 1 },
  },
  {
    label: 'Ping-pong turn, 100 B: encrypt + decrypt with a new ratchet key (one DH ratchet step)',
    parts: { 'ratchet.encrypt.100B': 1, 'ratchet.turn': 1 },
    floor: { 'symmetric.seal.100B': 1, 'symmetric.open.100B': 1, 'x25519.keygen': 1, 'x25519.agree': 2, 'kdf.root-step': 2 },
  },
  {
    label: 'Session set-up: process a bundle + decrypt the first PreKey message (100 B)',
    parts: { 'pqxdh.initiate': 1, 'pqxdh.respond': 1 },
    floor: {
      'xeddsa.verify': 2, 'x25519.keygen': 3, 'x25519.agree': 11, 'x25519.basekey-check': 1, 'kyber.encaps': 1,
      'kyber.decaps': 1, 'kdf.root-step': 5, 'symmetric.open.100B': 1,
    },
  },
];

/** Sum of count x median over the ids, or undefined when one is missing. */
function sum(results, weights) {
  let total = 0;
  for (const [id, count] of Object.entries(weights)) {
    const ns = results.get(id)?.medianNs;
    if (ns === undefined) {
      return undefined;
    }
    total += count * ns;
  }
  return total;
}

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
const nextReports = (args['libsignal-next'] ?? []).map((file) => JSON.parse(readFileSync(file, 'utf8')));
const next = nextReports.length > 0 ? libsignalResults(nextReports) : null;
const nextVersion = nextReports[0]?.libsignalVersion;

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

const nextHead = next === null ? '' : ` libsignal ${nextVersion} (SPQR) median | Parley / ${nextVersion} |`;
const nextRule = next === null ? '' : '---:|---:|';
out.push(
  `| operation | Parley median | libsignal ${libsignalReport.libsignalVersion} median | Parley / libsignal |${nextHead} Parley alloc/op |`,
  `|---|---:|---:|---:|${nextRule}---:|`,
);
for (const [id, label] of rows) {
  const p = parley.get(id);
  const l = libsignal.get(id);
  const n = next?.get(id);
  if (p === undefined && l === undefined) {
    continue;
  }
  const nextCells = next === null ? '' : ` ${time(n?.medianNs)} | ${ratio(p?.medianNs, n?.medianNs)} |`;
  out.push(`| ${label} | ${time(p?.medianNs)} | ${time(l?.medianNs)} | ${ratio(p?.medianNs, l?.medianNs)} |${nextCells} ${bytes(p?.allocated)} |`);
}

const verdict = (value, ok) => (value === undefined ? '—' : `${value.toFixed(2)} ${ok(value) ? '(met)' : '(short)'}`);
out.push(
  '',
  'Goals on the composite operations (sums of the rows above, per side; speed-up = libsignal time / Parley time, goal ≥ 4;',
  'floor = the Parley primitives the operation performs, from the rows above, goal Parley / floor ≤ 1.5; ceiling = libsignal',
  'time / floor, the largest speed-up any protocol layer over these primitives could reach):',
  '',
  `| operation | Parley | libsignal ${libsignalReport.libsignalVersion} | speed-up |${next === null ? '' : ` libsignal ${nextVersion} | speed-up |`} Parley primitives floor | Parley / floor | ceiling vs ${libsignalReport.libsignalVersion} |`,
  `|---|---:|---:|---:|${next === null ? '' : '---:|---:|'}---:|---:|---:|`,
);
for (const composite of composites) {
  const p = sum(parley, composite.parts);
  const l = sum(libsignal, composite.parts);
  const n = next === null ? undefined : sum(next, composite.parts);
  const floor = sum(parley, composite.floor);
  const speedUp = (other) => (p === undefined || other === undefined ? undefined : other / p);
  const nextCells = next === null ? '' : ` ${time(n)} | ${verdict(speedUp(n), (v) => v >= 4)} |`;
  const ceiling = l === undefined || floor === undefined ? '—' : (l / floor).toFixed(2);
  out.push(`| ${composite.label} | ${time(p)} | ${time(l)} | ${verdict(speedUp(l), (v) => v >= 4)} |${nextCells} ${time(floor)} | ${verdict(p === undefined || floor === undefined ? undefined : p / floor, (v) => v <= 1.5)} | ${ceiling} |`);
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
  ...(next === null ? [] : [`libsignal ${nextVersion} requires SPQR: its sessions are made with a second ${nextVersion} party and use SPQR (record ${nextReports[0].records?.withLibsignalPeer?.finalRecordBytes ?? '?'} B).`]),
  `"n/a": not reachable through libsignal's Node API (raw Kyber encapsulation and decapsulation happen inside the PQXDH rows).`,
);
console.log(out.join('\n'));
