#!/usr/bin/env python3
"""The message catalogue's editor: src/Fieldline.Web/Resources/Messages.resx (English, the neutral language) and
Messages.zh-CN.resx (Chinese). Keys are either the English text itself (console sentences: only the Chinese file needs
them) or an id (codes such as `status.inProgress`, phone texts `m.*`: both files). Entries stay sorted by key so that
parallel branches rarely touch the same lines.

  scripts/i18n.py add "English sentence {0}" "中文句子 {0}"         # English-as-key: Chinese only
  scripts/i18n.py add --id status.inProgress "On site" "服务中"     # an id: both languages
  scripts/i18n.py get KEY                                           # both values
  scripts/i18n.py sort                                              # rewrite both files sorted
"""
import sys, os
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'Fieldline.Web', 'Resources')
FILES = {'en': os.path.join(ROOT, 'Messages.resx'), 'zh': os.path.join(ROOT, 'Messages.zh-CN.resx')}

HEADER = '''<?xml version="1.0" encoding="utf-8"?>
<root>
  <resheader name="resmimetype"><value>text/microsoft-resx</value></resheader>
  <resheader name="version"><value>2.0</value></resheader>
  <resheader name="reader"><value>System.Resources.ResXResourceReader, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
  <resheader name="writer"><value>System.Resources.ResXResourceWriter, System.Windows.Forms, Version=4.0.0.0, Culture=neutral, PublicKeyToken=b77a5c561934e089</value></resheader>
'''


def load(lang):
    path = FILES[lang]
    if not os.path.exists(path):
        return {}
    tree = ET.parse(path)
    return {d.get('name'): (d.findtext('value') or '') for d in tree.getroot().findall('data')}


def save(lang, entries):
    out = [HEADER]
    for k in sorted(entries, key=lambda s: (s.lower(), s)):
        out.append(f'  <data name="{escape(k, {chr(34): "&quot;"})}" xml:space="preserve"><value>{escape(entries[k])}</value></data>\n')
    out.append('</root>\n')
    os.makedirs(ROOT, exist_ok=True)
    with open(FILES[lang], 'w', encoding='utf-8') as f:
        f.write(''.join(out))


def main(argv):
    if not argv or argv[0] in ('-h', '--help'):
        print(__doc__); return 0
    cmd, args = argv[0], argv[1:]
    en, zh = load('en'), load('zh')
    if cmd == 'add':
        if args and args[0] == '--id':
            key, en_text, zh_text = args[1], args[2], args[3]
            en[key] = en_text
        else:
            key, zh_text = args[0], args[1]
        zh[key] = zh_text
    elif cmd == 'get':
        print('en:', en.get(args[0])); print('zh:', zh.get(args[0])); return 0
    elif cmd != 'sort':
        print(__doc__); return 2
    save('en', en); save('zh', zh)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
