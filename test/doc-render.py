#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The manual parses: doc/presec.rst and the files it includes through docutils, every
warning or error printed as file:line: message (exit 1). Sphinx's own directives that the
manual uses are accepted without output; anything else docutils does not know is an error,
as is a table that overflows its columns or a title with an inconsistent adornment (one of
those once hid the second half of the manual from every renderer).

    doc-render.py DOC.rst
"""
import io
import sys

from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import Directive, directives


class SphinxOnly(Directive):
    """A Sphinx directive that changes only how the manual looks (``highlight``)."""

    has_content = False
    required_arguments = 1
    optional_arguments = 0
    option_spec = {}

    def run(self):
        return []


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    path = argv[1]
    directives.register_directive("highlight", SphinxOnly)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    problems = []

    def observe(msg):
        if msg["level"] >= 2:  # WARNING and above
            source = msg.get("source") or path
            line = msg.get("line", "?")
            text = msg.children[0].astext() if msg.children else ""
            problems.append(f"{source}:{line}: {msg['type'].lower()}: {text}")

    doc = publish_doctree(
        text,
        source_path=path,
        settings_overrides={
            "report_level": 5,  # collected below instead of printed
            "halt_level": 5,
            "warning_stream": io.StringIO(),
            "file_insertion_enabled": True,
        },
    )
    for msg in doc.traverse(nodes.system_message):
        observe(msg)
    # Messages that docutils attaches to the document's reporter only.
    for msg in doc.parse_messages + doc.transform_messages:
        observe(msg)
    sections = sum(1 for _ in doc.traverse(nodes.section))
    for p in sorted(set(problems)):
        print(p)
    print(f"doc-render: {path}: {sections} sections, {len(set(problems))} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
