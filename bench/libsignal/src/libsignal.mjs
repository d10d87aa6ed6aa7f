// libsignal-client 0.90.0 from interop/'s pinned install (interop/package.json + package-lock.json), so the
// benchmark measures exactly the release the interop tests pin. The in-memory stores are interop/'s too: they
// keep records serialized, as Parley's in-memory stores do, so both sides pay the same store round trips.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const interopDir = fileURLToPath(new URL('../../../interop/', import.meta.url));

const interopRequire = createRequire(`${interopDir}package.json`);

function resolveLibsignal() {
  try {
    return interopRequire.resolve('@signalapp/libsignal-client');
  } catch {
    throw new Error(`@signalapp/libsignal-client is not installed under ${interopDir}; run: (cd interop && npm ci)`);
  }
}

const entry = resolveLibsignal();
export const signal = await import(pathToFileURL(entry).href);

const packageJson = interopRequire.resolve('@signalapp/libsignal-client/package.json');
export const libsignalVersion = existsSync(packageJson) ? JSON.parse(readFileSync(packageJson, 'utf8')).version : 'unknown';

// Imported after libsignal so both resolve to the same module instance (the stores subclass its store classes).
export const stores = await import(pathToFileURL(`${interopDir}src/stores.mjs`).href);
export const protobuf = await import(pathToFileURL(`${interopDir}src/protobuf.mjs`).href);
