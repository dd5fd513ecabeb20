"""Write docs/api.md, the API reference, from the numpydoc docstrings of ``skreg.__all__``.

Usage: ``python docs/gen_api.py`` (from anywhere; skreg must be importable). ``--check``
exits with status 1 when docs/api.md is out of date instead of writing it.

Only the standard library and skreg are needed (not numpydoc). For each public name: its
signature, its docstring converted to Markdown (numpydoc sections become headed lists,
reST roles and literals become code spans, doctest examples become code blocks), and, for a
class, the public methods skreg defines (those inherited from scikit-learn are listed by name).
"""

import inspect
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "api.md"

GROUPS = [
    ("Estimators", ["Lasso", "ElasticNet", "Ridge", "MultiTaskLasso", "MultiTaskElasticNet",
                    "LogisticRegression"]),
    ("Cross-validation", ["LassoCV", "ElasticNetCV", "RidgeCV", "MultiTaskLassoCV",
                          "MultiTaskElasticNetCV", "LogisticRegressionCV", "PathSearchCV",
                          "ChunkKFold"]),
    ("Path functions", ["lasso_path", "enet_path", "logistic_path"]),
    ("Plotting", ["RegularizationPathDisplay", "CVCurveDisplay"]),
    ("Configuration", ["set_config", "get_config", "config_context"]),
]
LIST_SECTIONS = {"Parameters", "Returns", "Yields", "Attributes", "Raises", "Warns",
                 "Other Parameters", "Receives"}
CODE_SECTIONS = {"Examples"}
_HEADER = re.compile(r"^([A-Z][A-Za-z ]+)\n-{3,}$", re.M)
_ROLE = re.compile(r":(?:class|func|meth|attr|mod|obj|data|ref|term):`~?([^`]+)`")


def public_names(skreg):
    return [n for n in skreg.__all__ if not n.startswith("__")]


def _anchor(title):
    """GitHub's heading slug: lower case, punctuation dropped, spaces to dashes."""
    return re.sub(r"[^a-z0-9 _-]", "", title.lower()).replace(" ", "-")


def _inline(text, names):
    """reST inline markup -> Markdown: roles and ``literals`` become code spans (linked when
    they name a public object)."""
    def role(m):
        target = m.group(1).split(".")[-1].rstrip("()")
        label = m.group(1).split(".")[-1] if m.group(1).startswith(("skreg.", "~")) else \
            m.group(1)
        label = label.replace("~", "")
        owner = target if target in names else None
        if owner is None and "." in m.group(1):  # e.g. skreg.Lasso.fit -> the class
            parts = m.group(1).replace("~", "").split(".")
            owner = next((p for p in parts if p in names), None)
        if owner is not None:
            return f"[`{label}`](#{_anchor(owner)})"
        return f"`{label}`"

    text = _ROLE.sub(role, text)
    return re.sub(r"``(.+?)``", r"`\1`", text, flags=re.S)


def _split_sections(doc):
    """[(section name or None, body)] of a (dedented) numpydoc docstring."""
    parts, last, name = [], 0, None
    for m in _HEADER.finditer(doc):
        parts.append((name, doc[last:m.start()].strip("\n")))
        name, last = m.group(1).strip(), m.end()
    parts.append((name, doc[last:].strip("\n")))
    return [(n, b) for n, b in parts if b.strip() or n]


def _text(body):
    """Free text: reST literal blocks (``::``) become fenced code blocks."""
    out, lines, i = [], body.splitlines(), 0
    while i < len(lines):
        line = lines[i]
        if line.rstrip().endswith("::"):
            stripped = line.rstrip()[:-2].rstrip()
            out.append(stripped + (":" if stripped else ""))
            i += 1
            block = []
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith(" ")):
                block.append(lines[i])
                i += 1
            code = inspect.cleandoc("\n".join(block))
            out += ["", "```text", code, "```", ""]
            continue
        out.append(line)
        i += 1
    return "\n".join(out).strip("\n")


def _entries(body):
    """A Parameters-like section as a Markdown list."""
    out = []
    for line in body.splitlines():
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
            continue
        if not line.startswith(" "):  # "name : type" (or a bare name)
            if out and out[-1] == "":
                out.pop()
            name, _, kind = line.partition(" : ")
            kind = re.sub(r"\s+", " ", kind).strip()
            names_md = ", ".join(f"`{n.strip()}`" for n in name.split(",") if n.strip())
            out.append(f"- {names_md}" + (f" : {kind}" if kind else "") + "\\")
        else:
            text = line[4:] if line.startswith("    ") else line.lstrip()
            out.append("  " + text)
    while out and out[-1] == "":
        out.pop()
    # no hard line break after an entry without description
    out = [line[:-1] if line.endswith("\\") and (i + 1 == len(out) or not
                                                   out[i + 1].startswith("  ")) else line
           for i, line in enumerate(out)]
    return "\n".join(out)


def render_doc(doc, names, level):
    """A docstring as Markdown, its sections as headings of the given level."""
    chunks = []
    for name, body in _split_sections(doc):
        if name is None:
            chunks.append(_text(body))
            continue
        chunks.append(f"{'#' * level} {name}")
        if name in LIST_SECTIONS or name == "See Also":
            chunks.append(_entries(body))
        elif name in CODE_SECTIONS:
            chunks.append("```pycon\n" + inspect.cleandoc(body) + "\n```")
        else:
            chunks.append(_text(body))
    text = "\n\n".join(c for c in chunks if c.strip())
    # reST inline markup -> Markdown, outside the fenced code blocks
    parts = re.split(r"(```.*?```)", text, flags=re.S)
    return "".join(p if p.startswith("```") else _inline(p, names) for p in parts)


def _signature(name, obj):
    try:
        sig = str(inspect.signature(obj))
    except (TypeError, ValueError):
        return name
    return f"{name}{sig}"


def _methods(cls):
    """(own, inherited): public methods defined in skreg, and the names of the others."""
    own, inherited = [], []
    for attr in sorted(dir(cls)):
        if attr.startswith("_"):
            continue
        raw = inspect.getattr_static(cls, attr)
        if isinstance(raw, property) or not callable(getattr(cls, attr)):
            continue
        func = getattr(raw, "__func__", raw)
        if (getattr(func, "__module__", "") or "").startswith("skreg"):
            own.append((attr, raw))
        else:
            inherited.append(attr)
    return own, inherited


def render(skreg=None):
    """The whole of docs/api.md as a string."""
    if skreg is None:
        import skreg
    names = public_names(skreg)
    grouped = [(title, [n for n in members if n in names]) for title, members in GROUPS]
    known = {n for _, members in grouped for n in members}
    others = [n for n in names if n not in known]
    if others:
        grouped.append(("Other", others))
    lines = [
        "# API reference",
        "",
        ("<!-- Generated by docs/gen_api.py from the docstrings: do not edit by hand. "
         "Run `python docs/gen_api.py` after changing a public docstring. -->"),
        "",
        ("Every public name of `skreg` (its `__all__`). The estimators keep scikit-learn's "
         "parameters, attributes and objectives; see the [user guide](index.md)."),
        "",
    ]
    for title, members in grouped:
        if members:
            links = ", ".join(f"[`{n}`](#{_anchor(n)})" for n in members)
            lines.append(f"- **{title}**: {links}")
    for title, members in grouped:
        for name in members:
            obj = getattr(skreg, name)
            lines += ["", "---", "", f"## {name}", "",
                      f"```python\nskreg.{_signature(name, obj)}\n```", ""]
            lines.append(render_doc(inspect.getdoc(obj) or "", names, 4))
            if not inspect.isclass(obj):
                continue
            own, inherited = _methods(obj)
            for attr, raw in own:
                func = getattr(obj, attr)
                alias = next((n for n in names if getattr(skreg, n) is func), None)
                kind = " (classmethod)" if isinstance(raw, classmethod) else ""
                lines += ["", f"### {name}.{attr}{kind}", ""]
                if alias is not None:
                    lines.append(f"Same as [`skreg.{alias}`](#{_anchor(alias)}).")
                    continue
                shown = func if isinstance(raw, (classmethod, staticmethod)) else raw
                sig = _signature(attr, shown).replace("(self, ", "(").replace("(self)", "()")
                sig = sig.replace("(cls, ", "(").replace("(cls)", "()")
                lines += [f"```python\n{name}.{sig}\n```", ""]
                lines.append(render_doc(inspect.getdoc(func) or "", names, 4))
            if inherited:
                listed = ", ".join(f"`{m}`" for m in inherited)
                lines += ["", f"Inherited from scikit-learn: {listed}."]
    return "\n".join(lines).rstrip() + "\n"


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    text = render()
    if "--check" in argv:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT} is out of date: run python docs/gen_api.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
