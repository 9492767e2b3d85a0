#!/usr/bin/env python3
"""N slow multipart uploads (headers + 64 KiB, then silence) against a vsa server; reports the server's OS thread
count before/while/after, the answers and how long the idle ones were kept. Bounded: N <= 300, 90 s.
Usage: slow-uploads.py PORT PID TOKEN [N]"""
import os, socket, sys, time
port, pid, tok = int(sys.argv[1]), sys.argv[2], sys.argv[3]
n = min(int(sys.argv[4]) if len(sys.argv) > 4 else 200, 300)
threads = lambda: len(os.listdir(f'/proc/{pid}/task'))
b = 'slow'
start = (f'--{b}\r\nContent-Disposition: form-data; name="file"; filename="slow.splat"\r\n'
         'Content-Type: application/octet-stream\r\n\r\n')
head = (f'POST /upload/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {tok}\r\nContent-Type: multipart/form-data; '
        f'boundary={b}\r\nContent-Length: {len(start) + (1 << 20)}\r\n\r\n{start}').encode()
before = threads()
socks = []
t0 = time.time()
for i in range(n):
    s = socket.create_connection(('127.0.0.1', port)); s.sendall(head + bytes(64 * 1024)); s.settimeout(0.01); socks.append(s)
time.sleep(3)
during = threads()
codes, closed_at = {}, {}
deadline = time.time() + 90
while time.time() < deadline and len(closed_at) < n:
    for i, s in enumerate(socks):
        if i in closed_at: continue
        try:
            d = s.recv(4096)
            code = d[9:12].decode() if d.startswith(b'HTTP/') else ('closed' if not d else '?')
            codes[code] = codes.get(code, 0) + 1; closed_at[i] = time.time() - t0
        except (socket.timeout, BlockingIOError): pass
        except OSError: codes['reset'] = codes.get('reset', 0) + 1; closed_at[i] = time.time() - t0
    time.sleep(0.5)
print(f'threads before={before} while {n} slow uploads={during} after={threads()}')
print(f'answers: {codes}; still open after 90 s: {n - len(closed_at)}')
if closed_at:
    v = sorted(closed_at.values()); print(f'dropped after: min {v[0]:.1f} s, max {v[-1]:.1f} s')
