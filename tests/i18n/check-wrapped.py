#!/usr/bin/python3
"""Finds words for a person written in the desk's HTML or on the board's
screen without _() around them (docs/translating.md): a heuristic over the
C sources, for the strings xgettext cannot see because nobody marked them.

It reads every call of a function that shows its arguments (SHOWING below)
and flags a string literal argument with an English word (two letters or
more) that no _(), N_(), NC_(), i18n_plural() or i18n_context() wraps. In
desk_html_printf's format only the text between tags counts, and the
attributes a person reads (alt, title, placeholder, aria-label); tags,
classes, ids, URLs and printf conversions are markup. A lower-case literal
that is not words (a class name picked by a ?:, " selected") is let be in
a call that carries the comment /* i18n: markup */, and, without it, where
desk_html_printf's format (a literal) puts it: in a tag but outside any
value (an attribute's name, `<option%s>` " selected"), or in the value of
an attribute nobody reads (MARKUP_ATTRS: class, id, for, aria-describedby,
...; never alt, title, placeholder, aria-label, value, nor a data-*, which
a script may show).

Usage: check-wrapped.py FILE.c...   exit 1 with FILE:LINE: ... for each."""
import re
import sys

# function: the arguments (0 first) that are a format of markup (desk_html_printf's).
SHOWING = {
    # the desk
    "desk_html_printf": {1}, "desk_page_start": set(), "desk_refuse": set(), "desk_page_login": set(),
    "field": set(), "joined": set(), "text_field": set(), "page_link": set(), "end_form": set(),
    "desk_live_banner_text": set(), "desk_action_custody": set(), "change": set(), "text_change": set(),
    # the board
    "mvwaddstr": set(), "waddstr": set(), "mvaddstr": set(), "addstr": set(), "mvwprintw": set(),
    "wprintw": set(), "mvprintw": set(), "printw": set(), "board_text_put": set(),
    "board_text_putn": set(), "cell": set(), "board_sheet_field": set(), "board_sheet_text": set(),
    "board_say": set(), "board_bars_draw": set(), "board_prompt_text": set(), "board_prompt_yes": set(),
    "board_describe_put": set(),
}
WRAPPERS = ("_", "N_", "NC_", "i18n_plural", "i18n_context", "i18n_text")
WORD = re.compile(r"[A-Za-z]{2,}")
CONV = re.compile(r"%[-+ #0-9.]*(?:hh|h|ll|l|z|j|t)?[diouxXcsfeEgG%]")
READ_ATTR = re.compile(r"\b(?:alt|title|placeholder|aria-label)=\"([^\"]*)\"")
MARKER = "i18n: markup"
NAME_LIKE = re.compile(r"[ a-z0-9_-]*")  # a class name, an id, an attribute's name; not a word
# attributes whose value only the browser reads (names and addresses, never text for a person)
MARKUP_ATTRS = {"class", "id", "for", "name", "lang", "type", "href", "src", "action", "method", "enctype",
                "accept", "rel", "aria-describedby", "aria-labelledby", "aria-controls", "role", "scope"}
ARG_CONV = re.compile(r"%[-+ #0]*(\*|[0-9]+)?(?:\.(\*|[0-9]+))?(?:hh|h|ll|l|z|j|t)?([diouxXcsfeEgGp%])")
# function: the arguments that are names, not words (a form field's, a verb).
NAMES = {"text_field": {1}, "end_form": {3}, "change": {1}, "desk_action_custody": {1}}


def strip_comments(src):
    """Comments blanked (newlines kept), strings and chars kept."""
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", src[i:j]) if MARKER not in src[i:j] else src[i:j])
            i = j
        elif src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            out.append(src[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def call_args(src, start):
    """The arguments (text, offset) of the call whose '(' is at start."""
    args, depth, i, begin = [], 0, start, start + 1
    while i < len(src):
        c = src[i]
        if c in "\"'":
            j = i + 1
            while src[j] != c:
                j += 2 if src[j] == "\\" else 1
            i = j + 1
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                args.append((src[begin:i], begin))
                return args
        elif c == "," and depth == 1:
            args.append((src[begin:i], begin))
            begin = i + 1
        i += 1
    return args


def bare_literals(arg):
    """The string literals of arg outside any nested call (a wrapper's, or
    strcmp(x, "open")'s, whose literal is not shown), adjacent ones joined."""
    lits, i, depth, cur = [], 0, 0, None
    while i < len(arg):
        c = arg[i]
        if c == '"':
            j = i + 1
            while arg[j] != '"':
                j += 2 if arg[j] == "\\" else 1
            if depth == 0:
                cur = (cur or "") + arg[i + 1:j]
            i = j + 1
            continue
        if c == "'":
            j = arg.index("'", i + 2 if arg[i + 1] == "\\" else i + 1)
            i = j + 1
            continue
        if not c.isspace() and cur is not None:
            lits.append(cur)
            cur = None
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        i += 1
    if cur is not None:
        lits.append(cur)
    return lits


def markup_words(fmt):
    """The words a person reads in a format of markup (a piece of one: a
    tag may start in the literal before and end in the next)."""
    fmt = fmt.replace('\\"', '"')
    said = [m.group(1) for m in READ_ATTR.finditer(fmt)]
    text = re.sub(r"^[^<]*>", " ", fmt)
    text = re.sub(r"<[^>]*>", " ", text)
    text = re.sub(r"<[^>]*$", " ", text)
    text = re.sub(r"[\w-]+=\"[^\"]*(\"|$)", " ", text)  # attributes of a tag begun or ended elsewhere
    text = re.sub(r"&#?\w+;", " ", text)
    return [w for part in said + [text] for w in WORD.findall(CONV.sub(" ", part.replace("\\n", " ")))]


def conversion_places(fmt):
    """For each argument a format of markup consumes, in order: True when its
    conversion is markup (in a tag outside any value, or in the value of one
    of MARKUP_ATTRS), else False. A format that starts inside a tag (its
    first '<' or '>' is a '>') is read from inside one; one with neither is
    taken as text (nothing markup)."""
    fmt = fmt.replace('\\"', '"')
    first = re.search(r"[<>]", fmt)
    state = "tag" if first is not None and first.group() == ">" else "text"
    attr, places, i = None, [], 0
    while i < len(fmt):
        c = fmt[i]
        m = ARG_CONV.match(fmt, i) if c == "%" else None
        if m is not None:
            stars = [g for g in m.groups()[:2] if g == "*"]
            places.extend([False] * len(stars))
            if m.group(3) != "%":
                places.append(state == "tag" or (state == "value" and attr in MARKUP_ATTRS))
            i = m.end()
            continue
        if state == "text" and c == "<":
            state = "tag"
        elif state == "tag" and c == ">":
            state = "text"
        elif state == "tag" and c == '"':
            name = re.search(r"([\w-]+)\s*=\s*$", fmt[:i])
            attr = name.group(1).lower() if name else None
            state = "value"
        elif state == "value" and c == '"':
            state = "tag"
        i += 1
    return places


def markup_args(name, args):
    """The indices of @args (a call of @name) that desk_html_printf's literal
    format puts in a place of markup (conversion_places())."""
    k = min(SHOWING[name], default=None)
    if name != "desk_html_printf" or k is None or len(args) <= k:
        return set()
    fmt = args[k][0].strip()
    if not re.fullmatch(r'(?:"(?:[^"\\]|\\.)*"\s*)+', fmt):
        return set()  # not a literal: its places are not known here
    places = conversion_places("".join(bare_literals(fmt)))
    return {k + 1 + j for j, markup in enumerate(places) if markup}


def check(path):
    raw = open(path, encoding="utf-8").read()
    src = strip_comments(raw)
    found = []
    for m in re.finditer(r"\b(" + "|".join(SHOWING) + r")\s*\(", src):
        name = m.group(1)
        if re.search(r"\b(?:void|int|bool|size_t|char|static)\s[\s\w*]*$", src[max(0, m.start() - 60):m.start()]):
            continue  # the function's own definition or declaration
        args = call_args(src, m.end() - 1)
        end = args[-1][1] + len(args[-1][0]) if args else m.end()
        marked = MARKER in src[m.start():src.find("\n", src.find(";", end))]
        in_markup = markup_args(name, args)
        for k, (arg, at) in enumerate(args):
            if k in NAMES.get(name, ()):
                continue
            if arg.strip().startswith(WRAPPERS) and re.match(r"\s*(" + "|".join(WRAPPERS) + r")\s*\(", arg):
                continue
            line_no = src.count("\n", 0, at) + 1
            for lit in bare_literals(arg):
                if marked and re.fullmatch(r"[ a-z_-]*", lit):
                    continue  # a class name or attribute, said so
                if k in in_markup and NAME_LIKE.fullmatch(lit):
                    continue  # a class name, an id or an attribute's name, where its format says
                words = markup_words(lit) if k in SHOWING[name] else WORD.findall(CONV.sub(" ", lit.replace("\\n", " ")))
                if words:
                    found.append(f"{path}:{line_no}: {name}() shows \"{lit[:60]}\" unwrapped "
                                 f"(words: {' '.join(words[:4])}): write _(\"...\")")
    return found


def main():
    problems = [p for f in sys.argv[1:] for p in check(f)]
    for p in problems:
        print(p)
    print(f"check-wrapped: {len(sys.argv) - 1} files, {len(problems)} unwrapped")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
