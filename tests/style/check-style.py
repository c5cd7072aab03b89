#!/usr/bin/python3
"""The house style that a compiler does not check (DEVELOPERS.md, "Style"),
checked on every C file the build compiles, with libclang (python3-clang-14):

  1. one effect per statement: no comma operator but in a for loop's header;
  2. no nested conditional operator (a ?: as an operand of another ?:);
     MIN, MAX and CLAMP (common/minmax.h) say what those usually meant;
  3. quoted includes qualified by folder ("agent/store.h", "lib/problem.h"),
     never "../";
  4. no function of the product longer than FUNCTION_MAX lines (tests and
     benchmarks may be longer).

Usage: check-style.py BUILD_DIR SOURCE_DIR. TAP on stdout, one check per
rule, each problem as "# FILE:LINE: what".
"""
import json
import os
import re
import shlex
import sys

FUNCTION_MAX = 60
NOT_PRODUCT = ("tests/", "bench/")

try:
    import clang.cindex as ci
except ImportError:
    print("1..1\nnot ok 1 - libclang's Python module (Debian: python3-clang-14) is missing")
    sys.exit(1)

K = ci.CursorKind


def compiler_args(entry):
    """The entry's arguments, for libclang: no output, dependency or sanitizer flags."""
    args, skip = [], False
    for a in shlex.split(entry["command"])[1:]:
        if skip:
            skip = False
        elif a in ("-o", "-MF", "-MQ"):
            skip = True
        elif a not in ("-c", "-MD", entry["file"]) and not a.startswith(("-fsanitize", "-fno-sanitize")):
            args.append(a)
    return args


def unwrap(c):
    """@c without the parentheses and implicit conversions around it."""
    while c.kind in (K.PAREN_EXPR, K.UNEXPOSED_EXPR):
        kids = list(c.get_children())
        if len(kids) != 1:
            break
        c = kids[0]
    return c


def operator_of(c):
    """The spelling of binary operator @c's operator token, as written."""
    kids = list(c.get_children())
    if len(kids) != 2:
        return None
    end = kids[0].extent.end.offset
    for t in c.get_tokens():
        if t.extent.start.offset >= end:
            return t.spelling
    return None


def in_file(c, path):
    return c.location.file is not None and os.path.normpath(c.location.file.name) == path


def kind_of(c):
    """The cursor's kind; None for one newer than these bindings know
    (libmicrohttpd's header holds such, outside our files)."""
    try:
        return c.kind
    except ValueError:
        return None


def walk(c, path, rel, problems):
    kids = list(c.get_children())
    for i, ch in enumerate(kids):
        if kind_of(ch) is None:
            continue
        # A for loop's header is all its children but the last, the body.
        header = c.kind == K.FOR_STMT and i < len(kids) - 1
        if ch.kind == K.BINARY_OPERATOR and not header and in_file(ch, path) and operator_of(ch) == ",":
            problems["comma"].append("%s:%d: comma operator" % (rel, ch.location.line))
        if ch.kind == K.CONDITIONAL_OPERATOR and in_file(ch, path) and "?" in [t.spelling for t in ch.get_tokens()]:
            if any(unwrap(op).kind == K.CONDITIONAL_OPERATOR for op in ch.get_children()):
                problems["ternary"].append("%s:%d: nested conditional operator" % (rel, ch.location.line))
        if ch.kind == K.FUNCTION_DECL and ch.is_definition() and in_file(ch, path) and not rel.startswith(NOT_PRODUCT):
            lines = ch.extent.end.line - ch.extent.start.line + 1
            if lines > FUNCTION_MAX:
                problems["length"].append("%s:%d: %s() is %d lines" % (rel, ch.location.line, ch.spelling, lines))
        walk(ch, path, rel, problems)


def includes(path, rel, problems):
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if m and ("/" not in m.group(1) or m.group(1).startswith(".")):
                problems["include"].append('%s:%d: #include "%s" is not qualified by its folder' % (rel, n, m.group(1)))


def main(build, source):
    source = os.path.abspath(source) + "/"
    with open(os.path.join(build, "compile_commands.json")) as f:
        entries = json.load(f)
    index = ci.Index.create()
    problems = {"comma": [], "ternary": [], "include": [], "length": []}
    seen, headers = set(), set()
    for e in entries:
        path = os.path.normpath(os.path.join(e["directory"], e["file"]))
        if path in seen or not path.startswith(source) or path.endswith(".pb-c.c"):
            continue
        seen.add(path)
        tu = index.parse(path, args=compiler_args(e) + ["-working-directory=" + e["directory"]])
        walk(tu.cursor, path, os.path.relpath(path, source), problems)
        includes(path, os.path.relpath(path, source), problems)
        for inc in tu.get_includes():
            h = os.path.normpath(inc.include.name)
            if h.startswith(source) and "/build" not in h[len(source) - 1:]:
                headers.add(h)
    for h in sorted(headers):
        includes(h, os.path.relpath(h, source), problems)
    checks = [
        ("comma", "no comma operator outside a for loop's header"),
        ("ternary", "no nested conditional operator"),
        ("include", "every quoted include qualified by its folder, none with ../"),
        ("length", "no function of the product over %d lines" % FUNCTION_MAX),
    ]
    print("# %d source files and %d headers of the project" % (len(seen), len(headers)))
    failed = 0
    for n, (key, what) in enumerate(checks, 1):
        found = problems[key]
        print("%s %d - %s%s" % ("not ok" if found else "ok", n, what, " (%d)" % len(found) if found else ""))
        for p in sorted(set(found)):
            print("#   " + p)
        failed += bool(found)
    print("1..%d" % len(checks))
    return 1 if failed or not seen else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: check-style.py BUILD_DIR SOURCE_DIR")
    sys.exit(main(sys.argv[1], sys.argv[2]))
