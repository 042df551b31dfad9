#!/usr/bin/env python3
"""Extracts every rule of spec/regulations.md (id, English rule, Chinese original) into
src/Fieldline.Web/Features/Sla/rule-texts.json, which the console shows beside policy numbers and fines.
Run again when the spec changes: scripts/rule-texts.py [path/to/regulations.md]"""
import json, re, sys, pathlib

root = pathlib.Path(__file__).resolve().parent.parent
src = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else root.parent / "shared" / "spec" / "regulations.md"
rules = {}
for line in src.read_text(encoding="utf-8").splitlines():
    m = re.match(r"^\|\s*([A-Z]+-\d+)\s*\|(.*)\|\s*$", line)
    if not m:
        continue
    cells = [c.strip() for c in m.group(2).split("|")]
    english = re.sub(r"\*\*|`", "", cells[0]).strip()
    chinese = next((c for c in cells[1:] if "「" in c), "")
    quotes = re.findall(r"「([^」]*)」", chinese)
    rules.setdefault(m.group(1), {"en": english, "zh": ";".join(quotes)})
out = root / "src" / "Fieldline.Web" / "Features" / "Sla" / "rule-texts.json"
out.write_text(json.dumps(rules, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
print(f"{len(rules)} rules -> {out.relative_to(root)}")
