#!/usr/bin/env node
// Parley's libsignal interop driver: one JSON request per line on stdin, one JSON answer per line on
// stdout (DESIGN.md section 5, extensions in README.md). All state lives in memory for the life of the
// process. stdout carries answers only; diagnostics go to stderr.

import { createInterface } from 'node:readline';
import { exportKeys, bundle, init } from './src/setup-commands.mjs';
import { decrypt, encrypt, processBundle, sessionInfo } from './src/session-commands.mjs';
import { groupDecryptCommand, groupEncryptCommand, skdmCreate, skdmProcess } from './src/group-commands.mjs';
import { fingerprint, xeddsaSign, xeddsaVerifyBatch } from './src/identity-commands.mjs';
import { RequestError } from './src/request.mjs';

const MAX_LINE_CHARS = 64 * 1024 * 1024;

const commands = new Map([
  ['init', init],
  ['bundle', bundle],
  ['process_bundle', processBundle],
  ['encrypt', encrypt],
  ['decrypt', decrypt],
  ['fingerprint', fingerprint],
  ['skdm_create', skdmCreate],
  ['skdm_process', skdmProcess],
  ['group_encrypt', groupEncryptCommand],
  ['group_decrypt', groupDecryptCommand],
  ['session_info', sessionInfo],
  ['export_keys', exportKeys],
  ['xeddsa_sign', xeddsaSign],
  ['xeddsa_verify_batch', xeddsaVerifyBatch],
]);

const context = { party: null };

function write(answer) {
  return new Promise((resolve) => {
    process.stdout.write(`${JSON.stringify(answer)}\n`, resolve);
  });
}

function failure(id, error) {
  const answer = { ok: false };
  if (id !== undefined) {
    answer.id = id;
  }
  answer.error = error instanceof Error ? error.message : String(error);
  if (typeof error?.code === 'number' || typeof error?.code === 'string') {
    answer.errorCode = error.code;
  }
  return answer;
}

/** Answers one line. Returns true when the driver should exit. */
async function handle(line) {
  if (line.length > MAX_LINE_CHARS) {
    await write(failure(undefined, new RequestError(`line longer than ${MAX_LINE_CHARS} characters`)));
    return false;
  }
  let request;
  try {
    request = JSON.parse(line);
  } catch {
    await write(failure(undefined, new RequestError('line is not valid JSON')));
    return false;
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    await write(failure(undefined, new RequestError('request must be a JSON object')));
    return false;
  }
  const id = Object.hasOwn(request, 'id') ? request.id : undefined;
  const cmd = request.cmd;
  if (cmd === 'quit') {
    await write(id === undefined ? { ok: true } : { ok: true, id });
    return true;
  }
  const command = typeof cmd === 'string' ? commands.get(cmd) : undefined;
  if (command === undefined) {
    const reason = typeof cmd === 'string' ? `unknown cmd ${JSON.stringify(cmd)}` : 'cmd must be a string';
    await write(failure(id, new RequestError(reason)));
    return false;
  }
  try {
    const result = await command(context, request);
    await write(id === undefined ? { ok: true, ...result } : { ok: true, id, ...result });
  } catch (error) {
    if (!(error instanceof RequestError) && process.env.PARLEY_DRIVER_DEBUG) {
      process.stderr.write(`${cmd}: ${error?.stack ?? error}\n`);
    }
    await write(failure(id, error));
  }
  return false;
}

process.on('uncaughtException', (error) => {
  process.stderr.write(`driver: uncaught ${error?.message ?? error}\n`);
  process.exit(70);
});
process.on('unhandledRejection', (error) => {
  process.stderr.write(`driver: unhandled rejection ${error?.message ?? error}\n`);
  process.exit(70);
});

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
let queue = Promise.resolve(false);
let quitting = false;
lines.on('line', (line) => {
  queue = queue.then(async (done) => {
    if (done) {
      return true;
    }
    const quit = await handle(line);
    if (quit && !quitting) {
      quitting = true;
      lines.close();
      process.exit(0);
    }
    return quit;
  });
});
lines.on('close', () => {
  queue.then(() => process.exit(0));
});
