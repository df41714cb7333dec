#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A small, strict parser of the Prometheus text exposition format 0.0.4.

For the integration tests only (python3, standard library only). It reads
what netmetrics_exporter writes and refuses anything a careful consumer
could trip on, so a test that parses a scrape has also checked its shape:

  - the input is UTF-8 and ends with a newline;
  - '# HELP name text' (escapes \\ and \n) and '# TYPE name type' appear at
    most once per family, before the family's first sample;
  - every sample belongs to a family that has a TYPE, and a family's
    samples are contiguous;
  - metric and label names match the specification's patterns; label values
    are double-quoted with only the escapes \\, \" and \n; no label name
    twice in one sample; no trailing comma;
  - values are floats (NaN, +Inf, -Inf allowed); counters are not negative
    or NaN; no timestamps (exporters must not write them);
  - no series (name + label set) appears twice.

Use as a module:
    import promparse
    m = promparse.parse(text)          # raises promparse.ParseError
    m.value("netmetrics_receive_bytes_total", {"device": "lo"})
    m.series("netmetrics_interface_info", device="lo")

or from the command line:
    promparse.py FILE|-                         check; exit 1 with a message
    promparse.py FILE|- --value NAME [L=V ...]  print the one matching value
    promparse.py FILE|- --json                  dump every sample as JSON
"""

import json
import math
import re
import sys

METRIC_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
TYPES = ("counter", "gauge", "histogram", "summary", "untyped")
FLOAT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
SPECIAL_FLOATS = {"NaN": math.nan, "+Inf": math.inf, "-Inf": -math.inf}


class ParseError(Exception):
    """Malformed exposition text; the message names the line."""


class Sample:
    __slots__ = ("name", "labels", "value", "family", "line")

    def __init__(self, name, labels, value, family, line):
        self.name = name
        self.labels = labels  # dict label name -> unescaped value
        self.value = value
        self.family = family
        self.line = line

    def __repr__(self):
        return "Sample(%r, %r, %r)" % (self.name, self.labels, self.value)


class Metrics:
    """The parsed exposition: families (name -> type, help) and samples."""

    def __init__(self):
        self.types = {}
        self.helps = {}
        self.samples = []
        self._index = {}

    def series(self, name, labels=None, **match):
        """Samples of metric `name` whose labels include `labels`/`match`."""
        want = dict(labels or {})
        want.update(match)
        return [s for s in self._index.get(name, [])
                if all(s.labels.get(k) == v for k, v in want.items())]

    def value(self, name, labels=None, exact=False, **match):
        """The value of the one series of `name` matching `labels`.

        With exact=True the label set must be exactly `labels`; otherwise the
        series' labels must include them. Returns None when nothing matches;
        raises LookupError when more than one series does."""
        want = dict(labels or {})
        want.update(match)
        found = self.series(name, want)
        if exact:
            found = [s for s in found if s.labels == want]
        if not found:
            return None
        if len(found) > 1:
            raise LookupError("%d series of %s match %r" % (len(found), name, want))
        return found[0].value

    def names(self):
        return list(self._index)

    def label_values(self, name, label):
        """Set of values label `label` takes on metric `name`."""
        return {s.labels[label] for s in self._index.get(name, []) if label in s.labels}


def _family_of(name, types):
    """Family a sample name belongs to (histogram/summary suffixes)."""
    if name in types:
        return name
    for suffix in ("_bucket", "_sum", "_count", "_created"):
        if name.endswith(suffix):
            base = name[: -len(suffix)]
            if types.get(base) in ("histogram", "summary"):
                if suffix == "_bucket" and types[base] != "histogram":
                    continue
                return base
    return None


def _unescape_help(text, where):
    out = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            if i + 1 >= len(text):
                raise ParseError("%s: HELP ends with a lone backslash" % where)
            n = text[i + 1]
            if n == "\\":
                out.append("\\")
            elif n == "n":
                out.append("\n")
            else:
                raise ParseError("%s: invalid escape \\%s in HELP" % (where, n))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _parse_labels(line, pos, where):
    """Parses '{a="x",b="y"}' from line[pos] == '{'. Returns (dict, pos)."""
    labels = {}
    pos += 1
    if pos < len(line) and line[pos] == "}":
        return labels, pos + 1
    while True:
        m = LABEL_NAME.match(line, pos)
        if not m:
            raise ParseError("%s: expected a label name at column %d" % (where, pos + 1))
        lname = m.group(0)
        pos = m.end()
        if lname in labels:
            raise ParseError("%s: label %r appears twice" % (where, lname))
        if line[pos:pos + 2] != '="':
            raise ParseError("%s: expected =\" after label %r" % (where, lname))
        pos += 2
        val = []
        while True:
            if pos >= len(line):
                raise ParseError("%s: unterminated value of label %r" % (where, lname))
            c = line[pos]
            if c == '"':
                pos += 1
                break
            if c == "\\":
                if pos + 1 >= len(line):
                    raise ParseError("%s: unterminated escape in label %r" % (where, lname))
                n = line[pos + 1]
                if n == "\\":
                    val.append("\\")
                elif n == '"':
                    val.append('"')
                elif n == "n":
                    val.append("\n")
                else:
                    raise ParseError("%s: invalid escape \\%s in label %r" % (where, n, lname))
                pos += 2
                continue
            val.append(c)
            pos += 1
        labels[lname] = "".join(val)
        if pos >= len(line):
            raise ParseError("%s: label set not closed" % where)
        if line[pos] == "}":
            return labels, pos + 1
        if line[pos] != ",":
            raise ParseError("%s: expected , or } after label %r" % (where, lname))
        pos += 1
        if pos < len(line) and line[pos] == "}":
            raise ParseError("%s: trailing comma in label set" % where)


def _parse_value(text, where):
    if text in SPECIAL_FLOATS:
        return SPECIAL_FLOATS[text]
    if not FLOAT.fullmatch(text):
        raise ParseError("%s: bad sample value %r" % (where, text))
    return float(text)


def parse(data):
    """Parses exposition text (str or bytes). Returns Metrics."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as e:
            raise ParseError("input is not valid UTF-8: %s" % e)
    m = Metrics()
    if data == "":
        return m
    if not data.endswith("\n"):
        raise ParseError("input does not end with a newline")
    seen_series = set()
    closed = set()      # families whose samples are finished
    current = None      # family of the previous sample
    sampled = set()     # families with at least one sample
    for no, line in enumerate(data[:-1].split("\n"), 1):
        where = "line %d" % no
        if "\r" in line:
            raise ParseError("%s: carriage return" % where)
        if line.strip() == "":
            continue
        if line.startswith("#"):
            parts = line.split(" ", 3)
            if len(parts) >= 2 and parts[0] == "#" and parts[1] in ("HELP", "TYPE"):
                if len(parts) < 3 or not METRIC_NAME.fullmatch(parts[2]):
                    raise ParseError("%s: %s without a valid metric name" % (where, parts[1]))
                name = parts[2]
                if name in sampled:
                    raise ParseError("%s: %s for %s after its samples" % (where, parts[1], name))
                if parts[1] == "HELP":
                    if name in m.helps:
                        raise ParseError("%s: second HELP for %s" % (where, name))
                    m.helps[name] = _unescape_help(parts[3] if len(parts) > 3 else "", where)
                else:
                    if name in m.types:
                        raise ParseError("%s: second TYPE for %s" % (where, name))
                    if len(parts) != 4 or parts[3] not in TYPES:
                        raise ParseError("%s: bad TYPE line %r" % (where, line))
                    m.types[name] = parts[3]
            # any other comment is ignored, as the format says
            continue
        nm = METRIC_NAME.match(line)
        if not nm:
            raise ParseError("%s: expected a metric name: %r" % (where, line))
        name = nm.group(0)
        pos = nm.end()
        labels = {}
        if pos < len(line) and line[pos] == "{":
            labels, pos = _parse_labels(line, pos, where)
        if pos >= len(line) or line[pos] != " ":
            raise ParseError("%s: expected a space before the value" % where)
        rest = line[pos + 1:].split(" ")
        if "" in rest or len(rest) > 2:
            raise ParseError("%s: expected exactly one value: %r" % (where, line))
        if len(rest) == 2:
            raise ParseError("%s: sample has a timestamp (exporters must not write one)" % where)
        value = _parse_value(rest[0], where)
        family = _family_of(name, m.types)
        if family is None:
            raise ParseError("%s: sample of %s has no TYPE" % (where, name))
        if family != current:
            if family in closed:
                raise ParseError("%s: samples of %s are not contiguous" % (where, family))
            if current is not None:
                closed.add(current)
            current = family
        sampled.add(family)
        if m.types[family] == "counter" and not (value >= 0):
            raise ParseError("%s: counter %s has value %r" % (where, name, rest[0]))
        key = (name, tuple(sorted(labels.items())))
        if key in seen_series:
            raise ParseError("%s: duplicate series %s%r" % (where, name, labels))
        seen_series.add(key)
        s = Sample(name, labels, value, family, no)
        m.samples.append(s)
        m._index.setdefault(name, []).append(s)
    return m


def parse_file(path):
    if path == "-":
        return parse(sys.stdin.buffer.read())
    with open(path, "rb") as f:
        return parse(f.read())


def _fmt(v):
    if math.isfinite(v) and v == int(v) and abs(v) < 2 ** 63:
        return str(int(v))
    return repr(v)


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        sys.stderr.write(__doc__)
        return 2
    try:
        m = parse_file(argv[1])
    except (ParseError, OSError) as e:
        sys.stderr.write("promparse: %s: %s\n" % (argv[1], e))
        return 1
    args = argv[2:]
    if not args:
        return 0
    if args[0] == "--json":
        json.dump([{"name": s.name, "labels": s.labels, "value": s.value} for s in m.samples],
                  sys.stdout)
        sys.stdout.write("\n")
        return 0
    if args[0] == "--value" and len(args) >= 2:
        want = {}
        for a in args[2:]:
            k, sep, v = a.partition("=")
            if not sep:
                sys.stderr.write("promparse: label matcher %r is not L=V\n" % a)
                return 2
            want[k] = v
        try:
            v = m.value(args[1], want)
        except LookupError as e:
            sys.stderr.write("promparse: %s\n" % e)
            return 1
        if v is None:
            sys.stderr.write("promparse: no series %s%r\n" % (args[1], want))
            return 1
        print(_fmt(v))
        return 0
    sys.stderr.write("promparse: unknown arguments %r\n" % args)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
