#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# uapi_spec: uapi/nfv.yaml (the YNL spec of the "nfv" family) and
# uapi/linux/nfv.h (its hand-written C rendering) say the same thing.
#
# Every command, attribute, enum value, flag, limit, multicast group and
# max/count name the spec gives, under the genetlink-c naming rules, is
# turned into a C check against the header, compiled and run.  Host-only,
# no module needed: exit 4 (skip) without python3-yaml or a compiler.
set -u
cd "$(dirname "$0")/.."

ksft_skip=4
PY=/usr/bin/python3
echo "TAP version 13"
if ! $PY -c 'import yaml' 2>/dev/null || ! command -v "${CC:-gcc}" >/dev/null; then
	echo "1..0 # SKIP needs /usr/bin/python3 with yaml and a C compiler"
	exit $ksft_skip
fi
echo "1..1"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

$PY - uapi/nfv.yaml >"$tmp/check.c" <<'EOF'
import sys, yaml

spec = yaml.safe_load(open(sys.argv[1]))
fam = spec['name']
checks = []

def c(name):
    return name.upper().replace('-', '_')

def num(v):
    if isinstance(v, int):
        return str(v)
    return c(fam + '-' + v)	# a const of the spec

def check(expr, value, what):
    checks.append((expr, value, what))

for d in spec.get('definitions', []):
    if d['type'] == 'const':
        check(c(fam + '-' + d['name']), str(d['value']), 'const ' + d['name'])
    elif d['type'] in ('enum', 'flags'):
        prefix = d.get('name-prefix', fam + '-' + d['name'] + '-')
        v = d.get('value-start', 0)
        for i, e in enumerate(d['entries']):
            name = e if isinstance(e, str) else e['name']
            if d['type'] == 'flags':
                val = 1 << (i + v)
            else:
                val = v + i
            check(c(prefix + name), str(val), d['name'] + ' ' + name)

for s in spec['attribute-sets']:
    prefix = s.get('name-prefix', fam + '-a-' + s['name'] + '-')
    v = 1
    for a in s['attributes']:
        v = a.get('value', v)
        if s['name'] == 'xdp-counters':
            # enum nfv_xdp_counter is 0-based; the nest is counter + 1
            if a['type'] == 'pad':
                check('__NFV_XDP_COUNTER_MAX + 1', str(v), 'xdp pad')
            else:
                check(c('nfv-xdp-' + a['name']) + ' + 1', str(v),
                      'xdp counter ' + a['name'])
        else:
            check(c(prefix + a['name']), str(v), s['name'] + '.' + a['name'])
        v += 1
    if 'attr-cnt-name' in s:
        check(c(s['attr-cnt-name']), str(v), s['name'] + ' count')
    if 'attr-max-name' in s:
        check(c(s['attr-max-name']), str(v - 1), s['name'] + ' max')

ops = spec['operations']
prefix = ops.get('name-prefix', fam + '-cmd-')
v = 1
for op in ops['list']:
    v = op.get('value', v)
    check(c(prefix + op['name']), str(v), 'op ' + op['name'])
    v += 1
check(c(spec['cmd-max-name']), str(v - 1), 'cmd max')

print('#include <stdio.h>\n#include <string.h>\n#include <linux/nfv.h>')
print('int main(void)\n{\n\tint bad = 0;\n')
for expr, val, what in checks:
    print(f'\tif ((long)({expr}) != (long)({val})) {{ bad++; '
          f'printf("# {what}: header %ld, spec %ld\\n", (long)({expr}), (long)({val})); }}')
for g in spec['mcast-groups']['list']:
    name = c(g.get('c-define-name', fam + '-mcgrp-' + g['name']))
    print(f'\tif (strcmp({name}, "{g["name"]}")) {{ bad++; puts("# mcast group {g["name"]}"); }}')
print(f'\tif (strcmp({c(spec["c-family-name"])}, "{fam}")) {{ bad++; puts("# family name"); }}')
print(f'\tprintf("# %d names checked, %d differ\\n", {len(checks)}, bad);')
print('\treturn bad != 0;\n}')
EOF
if ${CC:-gcc} -Wall -Werror -Iuapi -o "$tmp/check" "$tmp/check.c" 2>"$tmp/cc.err" &&
   "$tmp/check"; then
	echo "ok 1 - uapi/nfv.yaml matches uapi/linux/nfv.h"
	exit 0
fi
sed 's/^/# /' "$tmp/cc.err"
echo "not ok 1 - uapi/nfv.yaml matches uapi/linux/nfv.h"
exit 1
