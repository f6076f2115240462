#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# ynl-gen-user-policy.py: the user-space attribute tables of the "nfv"
# family (nfvd validates requests with them, nfvctl parses replies), from
# the kernel's own generator, ynl-gen-c.py.  Run by tools/ynl-regen:
#
#   ynl-gen-user-policy.py --ynl DIR --spec SPEC (--header|--source) -o OUT
#
# Nothing here knows a fact of the spec.  ynl-gen-c.py's model (its Family,
# Struct and attribute Type classes) is loaded from DIR and rendered with
# its own code: print_req_policy() writes the nla_policy array of each
# attribute set - all its attributes, not one op's request - exactly as it
# writes nfv.ko's (NLA_POLICY_RANGE, .len, NLA_POLICY_NESTED, ...), and
# the range structs are written the way print_kernel_policy_ranges() does,
# for every attribute rather than request ones only.  The text compiles
# in user space against tools/common/nla_policy.h, a shim of the kernel's
# struct nla_policy.  Beside each policy: the attributes' names as the
# spec spells them, whether some request carries them (the generator's
# attr.request) and whether they repeat (multi-attr).
import argparse
import importlib.util
import os
import sys


def load_ynl_gen(ynl_dir):
    sys.path.insert(0, ynl_dir)
    spec = importlib.util.spec_from_file_location(
        'ynl_gen_c', os.path.join(ynl_dir, 'ynl-gen-c.py'))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def print_ranges(g, family, cw):
    """print_kernel_policy_ranges(), for every attribute."""
    for _, attr_set in family.attr_sets.items():
        if attr_set.subset_of:
            continue	# its attributes are its parent's
        for _, attr in attr_set.items():
            if 'full-range' not in attr.checks:
                continue
            sign = '' if attr.type[0] == 'u' else '_signed'
            suffix = 'ULL' if attr.type[0] == 'u' else 'LL'
            cw.block_start(line=f'static const struct netlink_range_validation{sign} '
                           f'{g.c_lower(attr.enum_name)}_range =')
            members = []
            if 'min' in attr.checks:
                members.append(('min', attr.get_limit_str('min', suffix=suffix)))
            if 'max' in attr.checks:
                members.append(('max', attr.get_limit_str('max', suffix=suffix)))
            cw.write_struct_init(members)
            cw.block_end(line=';')
            cw.nl()


def print_attrs(g, struct, cw):
    max_attr = struct.attr_max_val
    cw.p(f'const struct nfv_nl_attr {struct.render_name}_nl_attrs[{max_attr.enum_name} + 1] = {{')
    for _, attr in struct.member_list():
        flags = []
        if attr.request:
            flags.append('.request = true')
        if attr.attr.get('multi-attr'):
            flags.append('.multi = true')
        extra = ''.join(', ' + f for f in flags)
        cw.p(f'\t[{attr.enum_name}] = {{ .name = "{attr.name}"{extra} }},')
    cw.p('};')
    cw.nl()


def print_set(struct, cw):
    max_attr = struct.attr_max_val
    cw.block_start(line=f'const struct nfv_nl_set {struct.render_name}_nl_set =')
    cw.write_struct_init([('name', f'"{struct.space_name}"'),
                          ('policy', f'{struct.render_name}_nl_policy'),
                          ('attrs', f'{struct.render_name}_nl_attrs'),
                          ('maxattr', max_attr.enum_name)])
    cw.block_end(line=';')
    cw.nl()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--ynl', required=True)
    parser.add_argument('--spec', required=True)
    parser.add_argument('--header', dest='header', action='store_true', default=None)
    parser.add_argument('--source', dest='header', action='store_false')
    parser.add_argument('-o', dest='out_file', required=True)
    args = parser.parse_args()

    g = load_ynl_gen(args.ynl)
    family = g.Family(args.spec, [])
    # Every attribute set, in the spec's order (the header declares them
    # all first, so a set may nest one defined after it).
    structs = [g.Struct(family, name) for name in family.attr_sets]

    cw = g.CodeWriter(g.BaseNlLib(), args.out_file)
    _, spec_rel = g.find_kernel_root(args.spec)
    hdr = os.path.basename(args.out_file[:-2]) + '.h'
    if args.header:
        cw.p(f'/* SPDX-License-Identifier: {family.license} */')
    else:
        cw.p(f'// SPDX-License-Identifier: {family.license}')
    cw.p('/* Do not edit directly, auto-generated from: */')
    cw.p(f'/*\t{spec_rel} */')
    cw.p(f"/* by tools/ynl-gen-user-policy.py with ynl-gen-c.py's model */")
    cw.nl()

    if args.header:
        guard = f'_NFV_{family.c_name.upper()}_NL_POLICY_GEN_H'
        cw.p('#ifndef ' + guard)
        cw.p('#define ' + guard)
        cw.nl()
        cw.p('#include "nla_policy.h"')
        cw.nl()
        cw.p(f'#include <{family.uapi_header}>')
        cw.nl()
        for s in structs:
            g.print_req_policy_fwd(cw, s)
            cw.p(f'extern const struct nfv_nl_attr {s.render_name}_nl_attrs'
                 f'[{s.attr_max_val.enum_name} + 1];')
            cw.p(f'extern const struct nfv_nl_set {s.render_name}_nl_set;')
        cw.nl()
        cw.p(f'#endif /* {guard} */')
        return

    cw.p(f'#include "{hdr}"')
    cw.nl()
    print_ranges(g, family, cw)
    for s in structs:
        cw.p(f'/* attribute set "{s.space_name}" */')
        g.print_req_policy(cw, s)
        print_attrs(g, s, cw)
        print_set(s, cw)


if __name__ == '__main__':
    main()
