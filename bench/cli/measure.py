#!/usr/bin/env python3
"""CLI speed (docs/benchmarks.md, "CLI"): cold start of `parley --help`, of `parley show` (unlocks the
profile: Argon2id) and of `parley send` end to end against a local relay, and the latency of a message typed in
one `parley chat` until the other `parley chat` shows it, in the terminal chat (two pseudo-terminals) and in the
line chat (pipes). The relay's "stored" log line (its commit, millisecond timestamp) splits the latency into
typed -> stored and stored -> shown. Prints medians and writes every sample as JSON.

Usage: measure.py PARLEY_COMMAND... (e.g. `dotnet path/parley.dll` or `path/parley`)  env: RUNS WORK LABEL
"""
import fcntl, json, os, pty, re, select, shutil, signal, socket, statistics, struct, subprocess, sys, tempfile
import termios, threading, time
from datetime import datetime

RUNS = int(os.environ.get("RUNS", "21"))
LABEL = os.environ.get("LABEL", "parley")
PARLEY = sys.argv[1:]
if not PARLEY:
    sys.exit(__doc__)
WORK = tempfile.mkdtemp(prefix="parley-cli-bench-", dir=os.environ.get("WORK"))
ENV = dict(os.environ, PARLEY_PASSPHRASE="bench passphrase, long enough", TERM="xterm-256color", NO_COLOR="")
ANSI = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]|\r")
STORED = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3})Z stored ")


def log(text):
    print(f"[cli-bench] {text}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(*args, check=True):
    started = time.perf_counter()
    done = subprocess.run(PARLEY + list(args), env=ENV, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    elapsed = (time.perf_counter() - started) * 1000
    if check and done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} exited {done.returncode}: {done.stderr.strip()}")
    return elapsed


def median(values):
    return round(statistics.median(values), 1)


def p90(values):
    return round(sorted(values)[max(0, int(len(values) * 0.9) - 1)], 1)


class Relay:
    def __init__(self):
        self.url = f"http://127.0.0.1:{free_port()}"
        self.log_path = os.path.join(WORK, "relay.log")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(PARLEY + ["server", "--data", os.path.join(WORK, "relay"), "--urls", self.url],
                                        env=ENV, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", int(self.url.rsplit(":", 1)[1])), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("the relay did not start")

    def stored_times(self):
        """Wall-clock seconds of every "stored" line so far, in order."""
        self.log.flush()
        with open(self.log_path) as f:
            return [datetime.fromisoformat(m.group(1) + "+00:00").timestamp() for m in map(STORED.search, f) if m]

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(30)


class Chat:
    """One `parley chat PEER` process, on a pseudo-terminal (terminal chat) or on pipes (line chat)."""

    def __init__(self, profile, peer, terminal):
        self.seen = []  # (monotonic-free wall time, text chunk) appended by the reader thread
        self.buffer = b""
        self.cond = threading.Condition()
        args = PARLEY + ["--profile", profile, "chat", peer]
        if terminal:
            master, slave = pty.openpty()
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
            self.process = subprocess.Popen(args, env=ENV, stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
            os.close(slave)
            self.read_fd, self.write_fd = master, master
        else:
            self.process = subprocess.Popen(args, env=ENV, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            self.read_fd, self.write_fd = self.process.stdout.fileno(), self.process.stdin.fileno()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        while True:
            try:
                chunk = os.read(self.read_fd, 65536)
            except OSError:
                chunk = b""
            now = time.time()
            with self.cond:
                if not chunk:
                    self.cond.notify_all()
                    return
                self.buffer += ANSI.sub(b"", chunk)
                self.seen.append(now)
                self.cond.notify_all()

    def wait_for(self, text, timeout=15.0):
        """Wall-clock time at which `text` first appeared in the output (ANSI sequences removed)."""
        needle = text.encode()
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                index = self.buffer.find(needle)
                if index >= 0:
                    self.buffer = self.buffer[index + len(needle):]
                    return self.seen[-1] if self.seen else time.time()
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.process.poll() is not None:
                    raise SystemExit(f"chat never showed {text!r}; output so far: {self.buffer[-400:]!r}")
                self.cond.wait(remaining)

    def type(self, line, terminal):
        os.write(self.write_fd, (line + ("\r" if terminal else "\n")).encode())

    def close(self, terminal):
        try:
            self.type("/quit", terminal)
            self.process.wait(10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()


def chat_latency(relay, alice, bob, terminal, count):
    bob_chat = Chat(bob, "alice", terminal)
    alice_chat = Chat(alice, "bob", terminal)
    # Both are up when a first message makes the round trip (it also sets up the session).
    alice_chat.type("warm-up", terminal)
    bob_chat.wait_for("warm-up", 30)
    samples = []
    for i in range(count):
        text = f"m{i:03d}-{os.urandom(3).hex()}"
        before = len(relay.stored_times())
        typed = time.time()
        alice_chat.type(text, terminal)
        shown = bob_chat.wait_for(text)
        stored = None
        deadline = time.monotonic() + 5
        while stored is None and time.monotonic() < deadline:
            times = relay.stored_times()
            stored = times[before] if len(times) > before else time.sleep(0.01)
        samples.append({"typed_to_shown_ms": (shown - typed) * 1000,
                        "typed_to_stored_ms": (stored - typed) * 1000 if stored else None,
                        "stored_to_shown_ms": (shown - stored) * 1000 if stored else None})
        time.sleep(0.05)  # one message at a time: the latency of a message, not of a queue
    alice_chat.close(terminal)
    bob_chat.close(terminal)
    return samples


def main():
    log(f"{LABEL}: {' '.join(PARLEY)}; {RUNS} runs; work folder {WORK}")
    results = {"label": LABEL, "runs": RUNS}
    results["help_ms"] = [run("--help") for _ in range(RUNS)]
    relay = Relay()
    try:
        alice, bob = os.path.join(WORK, "alice"), os.path.join(WORK, "bob")
        run("--profile", alice, "init", "--server", relay.url, "--name", "alice")
        run("--profile", bob, "init", "--server", relay.url, "--name", "bob")
        results["show_ms"] = [run("--profile", alice, "show") for _ in range(RUNS)]
        run("--profile", alice, "send", "bob", "first")  # session set-up (bundle fetch, PQXDH) is not the cold start
        results["send_ms"] = [run("--profile", alice, "send", "bob", f"cold start {i}") for i in range(RUNS)]
        run("--profile", bob, "receive")
        for terminal in (True, False):
            name = "terminal" if terminal else "line"
            results[f"chat_{name}"] = chat_latency(relay, alice, bob, terminal, max(RUNS, 30))
    finally:
        relay.stop()
    summary = {"label": LABEL}
    for key in ("help_ms", "show_ms", "send_ms"):
        summary[key] = {"median": median(results[key]), "p90": p90(results[key]), "min": round(min(results[key]), 1)}
    for name in ("terminal", "line"):
        for key in ("typed_to_shown_ms", "typed_to_stored_ms", "stored_to_shown_ms"):
            values = [s[key] for s in results[f"chat_{name}"] if s[key] is not None]
            summary[f"chat_{name}_{key}"] = {"median": median(values), "p90": p90(values)} if values else None
    print(json.dumps({"summary": summary, "samples": results}))
    log(json.dumps(summary, indent=1))
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
