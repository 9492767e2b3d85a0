#!/usr/bin/env python3
"""60 wrong passwords for one account released at the same instant, then the right password under the name and
under U+0130/U+0131/upper-case spellings. Usage: login-race.py BASE_URL USERNAME PASSWORD"""
import json, sys, threading, urllib.request, urllib.error, collections
base, user, pw = sys.argv[1:4]
def login(name, password):
    req = urllib.request.Request(base + '/auth/login', json.dumps({'username': name, 'password': password}).encode(),
                                 {'Content-Type': 'application/json'})
    try:
        with urllib.request.urlopen(req, timeout=120) as r: return r.status, ''
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b'{}').get('type', '').rsplit('/', 1)[-1]
gate = threading.Barrier(60)
out = []
def guess(i):
    gate.wait(); out.append(login(user, 'wrong guess %d' % i))
ts = [threading.Thread(target=guess, args=(i,)) for i in range(60)]
[t.start() for t in ts]; [t.join() for t in ts]
print('60 simultaneous wrong passwords:', dict(collections.Counter(out)))
for name in [user, '\u0130' + user[1:], '\u0131' + user[1:], user.upper()]:
    print('right password as %r:' % name, login(name, pw))
# Then lock the name with sequential wrong passwords and try the right one under each spelling.
seq = [login(user, 'wrong again %d' % i) for i in range(6)]
print('6 sequential wrong passwords:', seq)
for name in ['\u0130' + user[1:], '\u0131' + user[1:], user.upper(), '\uff49' + user[1:], user]:
    print('locked; right password as %r:' % name, login(name, pw))
