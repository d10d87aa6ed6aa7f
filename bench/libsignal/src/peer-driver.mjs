// A peer for setting up sessions: any driver that speaks DESIGN.md §5's JSON lines (Parley's `parley interop`,
// or interop/driver.mjs over libsignal). Setup only; nothing it does is timed.

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export class PeerDriver {
  #child;
  #pending = [];
  #stderr = '';
  #closed = false;

  /** @param {string} label  @param {string} command  @param {string[]} args */
  constructor(label, command, args) {
    this.label = label;
    this.#child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.stderr.on('data', (chunk) => {
      this.#stderr = (this.#stderr + chunk).slice(-4000);
    });
    this.#child.on('exit', (code) => {
      this.#closed = true;
      for (const { reject } of this.#pending.splice(0)) {
        reject(new Error(`${label} driver exited (${code}): ${this.#stderr.trim()}`));
      }
    });
    createInterface({ input: this.#child.stdout }).on('line', (line) => {
      const waiter = this.#pending.shift();
      if (waiter === undefined) {
        return;
      }
      let answer;
      try {
        answer = JSON.parse(line);
      } catch {
        waiter.reject(new Error(`${label} driver answered a non-JSON line: ${line.slice(0, 200)}`));
        return;
      }
      if (answer.ok === true) {
        waiter.resolve(answer);
      } else {
        waiter.reject(new Error(`${label} driver: ${answer.error} (request ${waiter.cmd})`));
      }
    });
  }

  /** Sends one request and resolves with its answer (rejects on ok:false). */
  request(cmd, fields = {}) {
    if (this.#closed) {
      return Promise.reject(new Error(`${this.label} driver is not running: ${this.#stderr.trim()}`));
    }
    return new Promise((resolve, reject) => {
      this.#pending.push({ resolve, reject, cmd });
      this.#child.stdin.write(`${JSON.stringify({ cmd, ...fields })}\n`);
    });
  }

  async quit() {
    if (!this.#closed) {
      await this.request('quit').catch(() => {});
    }
  }
}

/** `dotnet parley.dll interop`: Parley's core, which has no SPQR, so libsignal negotiates its sessions without it. */
export function parleyPeer(parleyDll) {
  return new PeerDriver('parley', process.env.DOTNET ?? 'dotnet', [parleyDll, 'interop']);
}

/** interop/driver.mjs: libsignal itself, so two 0.90.0 parties negotiate SPQR (its default). */
export function libsignalPeer(interopDir) {
  return new PeerDriver('libsignal', process.execPath, [`${interopDir}driver.mjs`]);
}
