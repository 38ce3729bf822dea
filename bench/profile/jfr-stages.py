#!/usr/bin/env python3
"""Splits a transformer's stream-thread samples by topology stage.

usage: jfr print --stack-depth 80 --events jdk.ExecutionSample rec.jfr > samples.txt
       jfr-stages.py samples.txt seconds                  samples per second (find the timed burst)
       jfr-stages.py samples.txt stages FROM TO           share per stage and the top leaf frames
       jfr-stages.py samples.txt under FROM TO FRAME      what the outermost FRAME on a stack calls
       jfr-stages.py samples.txt leaf FROM TO FRAME       the callers of leaf frames matching FRAME

FROM and TO are HH:MM:SS. A sample's stage is the first stage frame from the leaf down; a producer
send is told apart by what wrote it (a changelog, the trail writer, anything else).
"""
import re
import sys
from collections import Counter


def read(path):
    samples, cur, stack = [], None, None
    with open(path) as f:
        for line in f:
            l = line.strip()
            if l.startswith('jdk.ExecutionSample'):
                cur, stack = {'t': None, 'thread': '', 'stack': []}, None
            elif cur is None:
                continue
            elif l.startswith('startTime'):
                cur['t'] = l.split('=')[1].strip().split()[0][:8]
            elif l.startswith('sampledThread'):
                cur['thread'] = l.split('"')[1]
            elif l.startswith('stackTrace'):
                stack = cur['stack']
            elif l == ']' and stack is not None:
                samples.append(cur)
                stack = None
            elif stack is not None and l and l != '...':
                stack.append(l.split('(')[0])
    return [s for s in samples if 'StreamThread' in s['thread']]


# (frame pattern, stage), tried in turn on each frame from the leaf down
STAGES = [(re.compile(p), name) for p, name in [
    (r'ChangeLogging', 'sink-serialize state'),
    (r'Fingerprint\.', 'fingerprint'),
    (r'Codec\.decode|CustomerRowBytes|CustomerRowReader|RecordDeserializer|SourceNode\.deserialize', 'source-deserialize'),
    (r'NoticeBuilder|BuildNotice\.process', 'build-notice'),
    (r'TrailWriter\.process', 'trail-write'),
    (r'TrailNotices\.process', 'trail-decode'),
    (r'DigestProcessor', 'digest'),
    (r'ChangeDetector\.process', 'detect'),
    (r'pollRequests|KafkaConsumer\.poll|Consumer\.poll', 'poll'),
    (r'maybeCommit|commitAll|TaskExecutor\.commit|commitTasks', 'commit'),
    (r'punctuate', 'punctuate'),
]]


def stage(stack):
    for i, f in enumerate(stack):
        if 'RecordCollectorImpl.send' in f:
            rest = ' '.join(stack[i:])
            if 'TrailWriter.process' in rest:
                return 'sink-serialize trail'
            if 'ChangeLogging' in rest:
                return 'sink-serialize state'
            return 'sink-serialize other'
        for pattern, name in STAGES:
            if pattern.search(f):
                return name
    return 'other'


def short(frame):
    parts = frame.split('.')
    return '.'.join(parts[-2:])


def main():
    samples = read(sys.argv[1])
    verb = sys.argv[2]
    if verb == 'seconds':
        for t, n in sorted(Counter(s['t'] for s in samples).items()):
            print(t, n)
        return
    fr, to = sys.argv[3], sys.argv[4]
    st = [s for s in samples if fr <= s['t'] <= to]
    share = lambda n: 100.0 * n / len(st)
    if verb == 'stages':
        print('stream samples', len(st))
        for k, v in Counter(stage(s['stack']) for s in st).most_common():
            print('%7.1f%% %s' % (share(v), k))
        print('top leaf frames:')
        for k, v in Counter(s['stack'][0] for s in st if s['stack']).most_common(25):
            print('%6.1f%% %s' % (share(v), k))
    elif verb == 'under':
        target, sub, total = sys.argv[5], Counter(), 0
        for s in st:
            for i in range(len(s['stack']) - 1, -1, -1):
                if target in s['stack'][i]:
                    total += 1
                    sub[short(s['stack'][i - 1]) if i > 0 else '(self)'] += 1
                    break
        print('== %s %.1f%%' % (target, share(total)))
        for k, v in sub.most_common(14):
            print('%6.1f%% %s' % (share(v), k))
    elif verb == 'leaf':
        target, c = sys.argv[5], Counter()
        for s in st:
            if s['stack'] and target in s['stack'][0]:
                c[' < '.join(short(x) for x in s['stack'][1:5])] += 1
        for k, v in c.most_common(12):
            print('%5.1f%% %s' % (share(v), k))


if __name__ == '__main__':
    main()
