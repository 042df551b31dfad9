#!/usr/bin/env python3
"""Lists the catalogue keys the code uses that the Chinese file lacks (the same scan as the unit test
Every_text_the_code_shows_has_a_Chinese_translation). Run it after adding texts; fill them in with scripts/i18n.py add."""
import re, os, sys, glob
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import i18n
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'Fieldline.Web')
LIT = r'"((?:[^"\\]|\\.)*)"'
PATTERNS = [
    r'\bT\[' + LIT, r'\bMsg\.Of\(' + LIT, r'\.Add\([^;()]*?(?:\([^()]*\))?[^;()]*?,\s*' + LIT,
    r'ValidationFailedException\.For\([^,]+,\s*' + LIT, r'(?:Forbidden|NotFound)Exception\(' + LIT,
    r'RequireAny\(' + LIT, r'Concurrency\.Check\(' + LIT, r'IllegalTransitionException\([^;]*?,\s*' + LIT + r'\)',
    r'IllegalTransitionException\(' + LIT, r'\bL\(' + LIT,
]
def used():
    keys = {}
    for path in glob.glob(ROOT + '/**/*.cs', recursive=True) + glob.glob(ROOT + '/**/*.cshtml', recursive=True):
        if '/Migrations/' in path or '/obj/' in path or '/bin/' in path: continue
        text = open(path, encoding='utf-8').read()
        for p in PATTERNS:
            for m in re.finditer(p, text):
                k = m.group(1).encode('utf-8').decode('unicode_escape').encode('latin-1').decode('utf-8') if '\\' in m.group(1) else m.group(1)
                if k and re.search('[A-Za-z]', k) and not re.fullmatch(r'[\w.\-\[\]{}]+', k) or (k and ' ' not in k and k[:1].isupper()):
                    keys.setdefault(k, os.path.relpath(path, ROOT))
    return keys
if __name__ == '__main__':
    zh = i18n.load('zh')
    for k, where in sorted(used().items(), key=lambda x: x[1]):
        if k not in zh: print(f'{where}\t{k}')
