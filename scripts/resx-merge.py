#!/usr/bin/env python3
"""A git merge driver for the message catalogue (Resources/*.resx): the entries of both sides, kept sorted. A key both
sides changed differently keeps the other branch's text and is reported. Configure once per clone:
  git config merge.resx.name "message catalogue union" && git config merge.resx.driver "python3 scripts/resx-merge.py %O %A %B"
(.gitattributes names the driver for *.resx)."""
import sys, xml.etree.ElementTree as ET
sys.path.insert(0, __import__('os').path.dirname(__import__('os').path.abspath(__file__)))
import i18n

def read(path):
    try:
        return {d.get('name'): (d.findtext('value') or '') for d in ET.parse(path).getroot().findall('data')}
    except Exception:
        return {}

base, ours, theirs = (read(p) for p in sys.argv[1:4])
merged = dict(ours)
for k, v in theirs.items():
    if k not in ours or ours[k] == base.get(k):
        merged[k] = v
    elif ours[k] != v and theirs[k] != base.get(k):
        print(f'resx-merge: both changed {k!r}; keeping theirs', file=sys.stderr)
        merged[k] = v
for k in base:
    if k not in theirs and ours.get(k) == base[k]:
        merged.pop(k, None)  # deleted on their side, unchanged on ours
out = sys.argv[2]
lines = [i18n.HEADER] + [f'  <data name="{i18n.escape(k, {chr(34): "&quot;"})}" xml:space="preserve"><value>{i18n.escape(merged[k])}</value></data>\n'
                         for k in sorted(merged, key=lambda s: (s.lower(), s))] + ['</root>\n']
open(out, 'w', encoding='utf-8').write(''.join(lines))
