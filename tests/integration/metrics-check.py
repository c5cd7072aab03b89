#!/usr/bin/python3
"""Checks for 42-metrics.sh: Prometheus' text exposition format 0.0.4 read
strictly (HELP and TYPE before a metric's samples, names, label escapes,
values), every number compared with the agent's database (python's sqlite3,
read-only) and its outbox, and a textfile watched while the agent rewrites
it. Prints "1 WHAT" / "0 WHAT" lines, as desk_tap reads them.

  metrics-check.py check EXPOSITION DB OUTBOX OWN-PRESENCE-TOPIC
  metrics-check.py same EXPOSITION OTHER-EXPOSITION
  metrics-check.py watch TEXTFILE SECONDS
  metrics-check.py value EXPOSITION NAME
"""
import os
import re
import sqlite3
import sys
import time

NAME = re.compile(r'[a-zA-Z_:][a-zA-Z0-9_:]*$')
SAMPLE = re.compile(r'([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)')
TYPES = ('counter', 'gauge', 'histogram', 'summary', 'untyped')


def unescape(v):
    return re.sub(r'\\([\\"n])', lambda m: '\n' if m.group(1) == 'n' else m.group(1), v)


def labels_of(text):
    out, pos = {}, 0
    while pos < len(text):
        m = LABEL.match(text, pos)
        if m is None:
            raise ValueError('label set %r is not the format\'s at %d' % (text, pos))
        out[m.group(1)] = unescape(m.group(2))
        pos = m.end()
    return tuple(sorted(out.items()))


def parse(text):
    """{(name, labels): value}; raises ValueError naming the line."""
    if not text.endswith('\n'):
        raise ValueError('the text does not end with a line feed')
    helped, typed, samples = set(), {}, {}
    for n, line in enumerate(text.split('\n')[:-1], 1):
        if line.startswith('# HELP '):
            name = line.split(' ', 3)[2]
            if not NAME.match(name) or name in helped:
                raise ValueError('line %d: HELP of %r twice or not a name' % (n, name))
            helped.add(name)
        elif line.startswith('# TYPE '):
            parts = line.split(' ')
            if len(parts) != 4 or parts[3] not in TYPES or parts[2] in typed:
                raise ValueError('line %d: %r is not a TYPE line' % (n, line))
            typed[parts[2]] = parts[3]
        else:
            m = SAMPLE.match(line)
            if m is None:
                raise ValueError('line %d: %r is not a sample' % (n, line))
            name = m.group(1)
            if name not in typed or name not in helped:
                raise ValueError('line %d: %s before its HELP and TYPE' % (n, name))
            if typed[name] == 'counter' and not name.endswith('_total'):
                raise ValueError('line %d: counter %s does not end in _total' % (n, name))
            key = (name, labels_of(m.group(3) or ''))
            if key in samples:
                raise ValueError('line %d: %s twice' % (n, key))
            samples[key] = float(m.group(4))
    for name in typed:
        if not name.startswith('raksha_'):
            raise ValueError('%s is not a raksha_ name' % name)
    return samples, typed


def say(good, what):
    print('%d %s' % (1 if good else 0, what))
    return good


def read(path):
    with open(path, encoding='utf-8') as f:
        return f.read()


def database_numbers(db, outbox, own_topic):
    c = sqlite3.connect('file:%s?mode=ro' % db, uri=True)
    one = lambda sql, *a: c.execute(sql, a).fetchone()[0]
    shown = "c.child_name IS NOT NULL AND c.status = 'open'"
    want = {
        ('raksha_messages_stored_total', ()): one('SELECT count(*) FROM messages'),
        ('raksha_rejected_total', ()): one('SELECT count(*) FROM rejected'),
        ('raksha_rejected_not_kept', ()): one('SELECT coalesce(sum(dropped), 0) FROM rejected_senders'),
        ('raksha_cases_open', ()): one('SELECT count(*) FROM cases c WHERE ' + shown),
        ('raksha_cases_unacknowledged', ()): one(
            'SELECT count(*) FROM cases c WHERE %s AND c.report_id NOT IN (SELECT report_id FROM acks)' % shown),
        ('raksha_cases_escalated', ()): one('SELECT count(*) FROM cases c WHERE %s AND escalation_level > 0' % shown),
        ('raksha_outbox_depth', ()): len([n for n in os.listdir(outbox) if n.endswith('.msg') and len(n) == 40]),
        ('raksha_hooks_run_total', ()): one("SELECT coalesce(max(value), 0) FROM meta WHERE key = 'hooks_run'"),
        ('raksha_hooks_failed_total', ()): one("SELECT coalesce(max(value), 0) FROM meta WHERE key = 'hooks_failed'"),
    }
    for cause, n in c.execute('SELECT cause, count(*) FROM rejected GROUP BY cause'):
        want[('raksha_rejected', (('cause', cause),))] = n
    newest = one('SELECT max(received_at_ms) FROM messages')
    own = one("SELECT count(*) FROM messages WHERE kind = 'agent' AND topic = ?", own_topic)
    c.close()
    return want, newest, own


def check(path, db, outbox, own_topic):
    try:
        samples, typed = parse(read(path))
    except ValueError as e:
        return say(False, 'the exposition format: %s' % e)
    say(True, 'the exposition format: every line HELP, TYPE or a sample, each metric typed before its samples')
    want, newest, own = database_numbers(db, outbox, own_topic)
    for key, n in sorted(want.items()):
        got = samples.get(key)
        say(got == n, '%s%s %s, as the database says (%s)' % (key[0], dict(key[1]) or '', got, n))
    rejected = {k: v for k, v in samples.items() if k[0] == 'raksha_rejected'}
    say(len(rejected) == len([k for k in want if k[0] == 'raksha_rejected']), 'no cause the database has not')
    age = samples.get(('raksha_newest_message_age_seconds', ()))
    real = time.time() - newest / 1000
    say(age is not None and -1 <= real - age <= 4, 'the newest message\'s age %s s (now %.1f s)' % (age, real))
    print('# connections %s, own presence rows %s' % (samples.get(('raksha_link_connections_total', ())), own))
    return True


def same(a, b):
    """The two expositions give the same numbers (ages apart: two moments)."""
    sa, ta = parse(read(a))
    sb, tb = parse(read(b))
    drop = lambda s: {k: v for k, v in s.items() if k[0] != 'raksha_newest_message_age_seconds'}
    diff = sorted(set(drop(sa).items()) ^ set(drop(sb).items()))
    say(ta == tb and not diff, 'the same metrics and numbers in both%s' % (': %s' % diff if diff else ''))


def watch(path, seconds):
    """Reads the file over and over while the agent rewrites it: each read a
    whole exposition; replaced (a new inode) rather than written into."""
    end = time.monotonic() + seconds
    reads, bad, inodes, first = 0, [], set(), None
    while time.monotonic() < end:
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            bad.append('missing')
            continue
        st = os.fstat(fd)
        data = b''
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            data += chunk
        os.close(fd)
        inodes.add(st.st_ino)
        first = first or oct(st.st_mode & 0o777)
        reads += 1
        try:
            samples, _ = parse(data.decode('utf-8'))
            if ('raksha_hooks_failed_total', ()) not in samples:
                bad.append('cut short')
        except (ValueError, UnicodeDecodeError) as e:
            bad.append(str(e))
    say(not bad, '%d reads of the textfile, each a whole exposition%s' % (reads, ': %s' % bad[:3] if bad else ''))
    say(len(inodes) >= 2, 'replaced whole (rename), %d times a new file' % (len(inodes) - 1))
    say(first == '0o644', 'mode %s: node-exporter, another user, may read it' % first)


def main():
    cmd = sys.argv[1]
    if cmd == 'check':
        check(*sys.argv[2:6])
    elif cmd == 'same':
        same(sys.argv[2], sys.argv[3])
    elif cmd == 'watch':
        watch(sys.argv[2], float(sys.argv[3]))
    elif cmd == 'value':
        samples, _ = parse(read(sys.argv[2]))
        v = samples.get((sys.argv[3], ()))
        print('none' if v is None else '%g' % v)


if __name__ == '__main__':
    main()
