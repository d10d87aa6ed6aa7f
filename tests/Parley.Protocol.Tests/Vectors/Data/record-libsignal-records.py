# Records libsignal-0.90-records.json: session records written by libsignal-client 0.90.0 (interop/driver.mjs) in
# three situations, plus the keys and messages a test needs to continue those sessions with Parley.
# Run from the repository root after `npm ci` in interop/ and a Release build of tests/Parley.Interop.Tests:
#   python3 tests/Parley.Protocol.Tests/Vectors/Data/record-libsignal-records.py tests/Parley.Protocol.Tests/Vectors/Data/libsignal-0.90-records.json
import json, os, subprocess, uuid, base64, sys
ROOT = os.getcwd()
NODE = ['node', os.path.join(ROOT, 'interop', 'driver.mjs')]
PARLEY = ['dotnet', os.path.join(ROOT, 'tests', 'Parley.Interop.Tests', 'bin', 'Release', 'net10.0', 'parley.dll'), 'interop']

class Driver:
    def __init__(self, cmd, name, device=1):
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=os.path.join(ROOT, 'interop'))
        self.name = name; self.device = device
        self.init = self.req(cmd='init', name=name, deviceId=device)
    def req(self, **kw):
        self.p.stdin.write(json.dumps(kw) + '\n'); self.p.stdin.flush()
        a = json.loads(self.p.stdout.readline())
        if not a.get('ok'): raise Exception(f'{kw.get("cmd")}: {a}')
        return a
    def close(self): self.req(cmd='quit')

def b64(s): return base64.b64encode(s.encode()).decode()

out = {"description": "Session records written by libsignal-client 0.90.0 (recorded with interop/driver.mjs and parley interop). See LibsignalRecordTests.", "lib": "0.90.0"}

# Scenario 1: libsignal Alice's record after her first flight (unacknowledged, SPQR still negotiating).
A = Driver(NODE, str(uuid.uuid4())); B = Driver(NODE, str(uuid.uuid4()))
bundle = B.req(cmd='bundle')['bundle']
A.req(cmd='process_bundle', peer=B.name, bundle=bundle)
flight = [A.req(cmd='encrypt', peer=B.name, plaintext_b64=b64(f'first flight {i}')) for i in range(2)]
out['firstFlight'] = {
    "alice": {"name": A.name, "deviceId": 1, "keys": A.req(cmd='export_keys'), "record_b64": A.req(cmd='session_info', peer=B.name)['record_b64']},
    "bob": {"name": B.name, "deviceId": 1, "keys": B.req(cmd='export_keys')},
    "messages": [{"type": m['type'], "body_b64": m['body_b64'], "plaintext_b64": b64(f'first flight {i}')} for i, m in enumerate(flight)],
}
# Continue libsignal-to-libsignal: the session settles on SPQR v1.
for m in flight: B.req(cmd='decrypt', peer=A.name, type=m['type'], body_b64=m['body_b64'])
r1 = B.req(cmd='encrypt', peer=A.name, plaintext_b64=b64('reply 1')); A.req(cmd='decrypt', peer=B.name, type=r1['type'], body_b64=r1['body_b64'])
a1 = A.req(cmd='encrypt', peer=B.name, plaintext_b64=b64('alice 1')); B.req(cmd='decrypt', peer=A.name, type=a1['type'], body_b64=a1['body_b64'])
r2 = B.req(cmd='encrypt', peer=A.name, plaintext_b64=b64('reply 2')); r3 = B.req(cmd='encrypt', peer=A.name, plaintext_b64=b64('reply 3'))
A.req(cmd='decrypt', peer=B.name, type=r3['type'], body_b64=r3['body_b64'])
out['spqrSession'] = {"aliceRecord_b64": A.req(cmd='session_info', peer=B.name)['record_b64'], "bobRecord_b64": B.req(cmd='session_info', peer=A.name)['record_b64']}
A.close(); B.close()

# Scenario 3: libsignal Alice with a Parley Bob: SPQR negotiated down; both records, then messages to continue with.
A = Driver(NODE, str(uuid.uuid4())); P = Driver(PARLEY, str(uuid.uuid4()))
bundle = P.req(cmd='bundle')['bundle']
A.req(cmd='process_bundle', peer=P.name, bundle=bundle)
for i in range(2):
    m = A.req(cmd='encrypt', peer=P.name, plaintext_b64=b64(f'hello {i}')); P.req(cmd='decrypt', peer=A.name, type=m['type'], body_b64=m['body_b64'])
r = P.req(cmd='encrypt', peer=A.name, plaintext_b64=b64('hi alice')); A.req(cmd='decrypt', peer=P.name, type=r['type'], body_b64=r['body_b64'])
skipped = A.req(cmd='encrypt', peer=P.name, plaintext_b64=b64('skipped by parley'))
seen = A.req(cmd='encrypt', peer=P.name, plaintext_b64=b64('seen by parley')); P.req(cmd='decrypt', peer=A.name, type=seen['type'], body_b64=seen['body_b64'])
out['negotiatedDown'] = {
    "alice": {"name": A.name, "deviceId": 1, "keys": A.req(cmd='export_keys'), "record_b64": A.req(cmd='session_info', peer=P.name)['record_b64']},
    "bob": {"name": P.name, "deviceId": 1, "keys": P.req(cmd='export_keys'), "record_b64": P.req(cmd='session_info', peer=A.name)['record_b64']},
    "skippedMessage": {"type": skipped['type'], "body_b64": skipped['body_b64'], "plaintext_b64": b64('skipped by parley')},
}
A.close(); P.close()
json.dump(out, open(sys.argv[1], 'w'), indent=1)
print('ok')
