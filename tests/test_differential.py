"""Differential test: the model's compiled schema and the reference XSDs agree on mutants.

Valid messages (the reference messages and samples/) are mutated thousands of times with a
seeded RNG: structure (remove, duplicate, swap, insert, wrong namespace), values (impossible
dates, zones on times, out-of-range numbers, codes outside a list, strings over their maximum
length, whitespace, empty elements) and the fixed header values. For every mutant the verdict
of ``ijwcli.model.schema.schema(code)`` must equal that of the reference XSD.

Run with ``pytest -s`` to see the count and the valid/invalid split.
"""

from __future__ import annotations

import copy
import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ijwcli.bericht import definitie_van
from ijwcli.model.berichten import BASIS_NS, BERICHTEN, namespace
from ijwcli.model.datatypes import Datatype, Element, Klasse
from ijwcli.model.schema import schema

from .conftest import IJW, SAMPLES, needs_shared

SEED = 20260331
MUTANTS = 4200
# A share of the mutants gets a second mutation on top of the first.
SECOND_ORDER = 0.15
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)
FOREIGN_NS = "http://example.org/niet-ijw"


@dataclass
class Basis:
    code: str
    source: str
    tree: etree._ElementTree


def _bases() -> list[Basis]:
    files = sorted((IJW / "voorbeelden").glob("*.xml")) + sorted(SAMPLES.glob("*.xml"))
    out = []
    for f in files:
        tree = etree.parse(str(f), _PARSER)
        out.append(Basis(definitie_van(tree).code, f"{f.parent.name}/{f.name}", tree))
    return out


def _model_elements(tree: etree._ElementTree, code: str) -> dict[etree._Element, Element]:
    """Each element below the root mapped to its model :class:`Element` (declared type, card.)."""
    out: dict[etree._Element, Element] = {}

    def walk(el: etree._Element, k: Klasse) -> None:
        for c in el:
            if not isinstance(c.tag, str):
                continue  # comments and processing instructions
            e = k.element(etree.QName(c).localname)
            out[c] = e
            if isinstance(e.type, Klasse):
                walk(c, e.type)

    walk(tree.getroot(), BERICHTEN[code].root)
    return out


def _datatype(e: Element) -> Datatype | None:
    t = e.type
    if not isinstance(t, Datatype):
        return None
    return t.parent if t.parent is not None and not t.name else t


# --- value mutations ---------------------------------------------------------------------------
_DATUMS = ["2026-06-31", "2026-02-29", "2024-02-29", "2026-13-01", "2026-00-10", "2026-1-1",
           "26-01-01", "01-06-2026", "2026-06-01Z", "2026-06-01+01:00", " 2026-06-01 ",
           "2026-06-01T00:00:00", "-2026-06-01", "10000-01-01", "0000-01-01", "2026-06-01\n"]
_TIJDEN = ["12:00:00Z", "12:00:00+01:00", "12:00:00-05:00", "24:00:00", "23:60:00", "12:00",
           "12:00:00.5", "7:00:00", " 12:00:00 ", "00:00:00", "23:59:59", "12:00:60"]
_ALGEMEEN = ["", " ", "\t", "x", "é", "<&>", "0", "-1", "9" * 40, "ABC def", "\u20ac"]
# Edges of the patterns: newlines, the last letters of the Voorletters range, version forms,
# four-digit codes.
_RANDEN = ["a\nb", "\n", "\r\nx", "a b", "\u1ef3", "\u1ef4", "ÄB", "A.", "1.0.0", "01.0.0",
           "1.0", "1.0.0.0", "1.10.0", "0384", "12345", "123", "1234AB", "+31", "0031"]


def _getallen(t: Datatype) -> list[str]:
    hi = t.max_value if t.max_value is not None else 10**12
    lo = t.min_value if t.min_value is not None else -(10**12)
    return [str(hi), str(hi + 1), str(lo), str(lo - 1), "-0", "+5", "007", "1.0", "1e3",
            " 5 ", "5 ", "١٢", "0x1F", str(10**30)]


def _teksten(t: Datatype, old: str) -> list[str]:
    out = [f" {old}", f"{old} ", f"\n{old}", old.lower(), old.upper(), old + old]
    if t.max_length is not None:
        out += ["a" * t.max_length, "a" * (t.max_length + 1), "9" * t.max_length,
                "9" * (t.max_length + 1), " " * t.max_length]
    if t.min_length is not None and t.min_length > 1:
        out.append("a" * (t.min_length - 1))
    if t.codelijst:
        codes = list(t.codes)
        out += [codes[0], codes[-1], "99", "ZZ", "00", codes[0] + "0", f" {codes[0]}",
                str(int(codes[0])) if codes[0].isdigit() else codes[0].lower()]
    return out


def _values_for(t: Datatype | None, old: str) -> list[str]:
    if t is None:
        return list(_ALGEMEEN)
    if t.base == "date":
        return _DATUMS + _ALGEMEEN[:3]
    if t.base == "time":
        return _TIJDEN + _ALGEMEEN[:3]
    if t.base == "integer":
        return _getallen(t) + _ALGEMEEN
    return _teksten(t, old) + _ALGEMEEN + _RANDEN


# --- the mutation operators ----------------------------------------------------------------------
Mutatie = Callable[[random.Random, etree._ElementTree, str], str | None]
"""Mutates the tree in place and describes what it did, or returns None when it cannot apply."""


def _pick(rng: random.Random, items: list) -> object | None:  # type: ignore[type-arg]
    return rng.choice(items) if items else None


def _elements(tree: etree._ElementTree) -> list[etree._Element]:
    return [el for el in tree.iter() if isinstance(el.tag, str)]


def _where(tree: etree._ElementTree, el: etree._Element) -> str:
    return tree.getpath(el)


def _filtered(tree: etree._ElementTree, code: str,
              keep: Callable[[etree._Element, Element], bool]) -> list[etree._Element]:
    return [el for el, e in _model_elements(tree, code).items() if keep(el, e)]


def remove_required(rng: random.Random, tree: etree._ElementTree, code: str) -> str | None:
    el = _pick(rng, _filtered(tree, code, lambda el, e: e.min >= 1))
    if el is None:
        return None
    where = _where(tree, el)
    el.getparent().remove(el)
    return f"remove required {where}"


def remove_optional(rng: random.Random, tree: etree._ElementTree, code: str) -> str | None:
    el = _pick(rng, _filtered(tree, code, lambda el, e: e.min == 0))
    if el is None:
        return None
    where = _where(tree, el)
    el.getparent().remove(el)
    return f"remove optional {where}"


def duplicate(rng: random.Random, tree: etree._ElementTree, code: str) -> str | None:
    # Mostly non-repeating elements (must fail); repeating ones now and then (may pass).
    repeats = rng.random() < 0.25
    el = _pick(rng, _filtered(tree, code, lambda el, e: e.repeats == repeats))
    if el is None:
        return None
    el.addnext(copy.deepcopy(el))
    return f"duplicate {'repeating' if repeats else 'non-repeating'} {_where(tree, el)}"


def swap_siblings(rng: random.Random, tree: etree._ElementTree, code: str) -> str | None:
    parents = [el for el in _elements(tree) if len(el) >= 2]
    parent = _pick(rng, parents)
    if parent is None:
        return None
    i, j = sorted(rng.sample(range(len(parent)), 2))
    a, b = parent[i], parent[j]
    where = f"{_where(tree, a)} <-> {_where(tree, b)}"
    a_copy, b_copy = copy.deepcopy(a), copy.deepcopy(b)
    parent.replace(a, b_copy)
    parent.replace(b, a_copy)
    return f"swap {where}"


def set_value(rng: random.Random, tree: etree._ElementTree, code: str) -> str | None:
    leaves = _filtered(tree, code, lambda el, e: isinstance(e.type, Datatype))
    el = _pick(rng, leaves)
    if el is None:
        return None
    t = _datatype(_model_elements(tree, code)[el])
    value = rng.choice(_values_for(t, el.text or ""))
    el.text = value
    return f"value {value!r} in {_where(tree, el)} ({t.name if t else '?'})"


def header_value(rng: random.Random, tree: etree._ElementTree, code: str) -> str | None:
    name, values = rng.choice([
        ("BerichtCode", [d.berichtcode for d in BERICHTEN.values()] + ["999", "0436", " 436",
                                                                       "43", "4360"]),
        ("BerichtVersie", ["3", "4", "2", "03", " 3", "3 ", "+3", "30", "3.0", ""]),
        ("BerichtSubversie", ["2", "1", "3", "02", " 2", "+2", "20", "2.0", ""]),
    ])
    el = tree.getroot().find(f"{{*}}Header/{{*}}{name}")
    if el is None:
        return None
    value = rng.choice(values)
    el.text = value
    return f"header {name} = {value!r}"


def empty_element(rng: random.Random, tree: etree._ElementTree, code: str) -> str | None:
    el = _pick(rng, _elements(tree)[1:])
    if el is None:
        return None
    for c in list(el):
        el.remove(c)
    el.text = None
    return f"empty {_where(tree, el)}"


def wrong_namespace(rng: random.Random, tree: etree._ElementTree, code: str) -> str | None:
    el = _pick(rng, _elements(tree))
    if el is None:
        return None
    qn = etree.QName(el)
    other = rng.choice([ns for ns in (BASIS_NS, namespace(code), namespace(
        rng.choice(sorted(BERICHTEN))), FOREIGN_NS, None) if ns != qn.namespace])
    where = _where(tree, el)
    el.tag = etree.QName(other, qn.localname).text if other else qn.localname
    return f"namespace {other!r} on {where}"


def extra_element(rng: random.Random, tree: etree._ElementTree, code: str) -> str | None:
    parent = _pick(rng, [el for el in _elements(tree) if len(el)])
    if parent is None:
        return None
    ns = etree.QName(parent[0]).namespace
    names = sorted({etree.QName(el).localname for el in _elements(tree)})
    local = rng.choice(["Onbekend", "Extra", rng.choice(names)])
    new = etree.Element(etree.QName(ns, local).text if ns else local)
    new.text = rng.choice(["1", "x", "2026-01-01"])
    pos = rng.randrange(len(parent) + 1)
    parent.insert(pos, new)
    return f"insert {local} at {pos} in {_where(tree, parent)}"


def decorate(rng: random.Random, tree: etree._ElementTree, code: str) -> str | None:
    """Things beside the elements: comments (fine), attributes and text in element-only content."""
    el = _pick(rng, _elements(tree))
    if el is None:
        return None
    where = _where(tree, el)
    kind = rng.choice(["comment", "pi", "attribute", "xsi-attribute", "text", "tail"])
    if kind == "comment":
        el.append(etree.Comment(" opmerking "))
    elif kind == "pi":
        el.addprevious(etree.ProcessingInstruction("verwerk", "ja")) if el.getparent() is not None \
            else el.append(etree.ProcessingInstruction("verwerk", "ja"))
    elif kind == "attribute":
        el.set("id", "1")
    elif kind == "xsi-attribute":
        el.set("{http://www.w3.org/2001/XMLSchema-instance}nil", "true")
    elif kind == "text":
        if len(el):
            el.text = "tekst"
        else:
            el.text = (el.text or "") + "\u00a0"
    elif el.getparent() is not None:
        el.tail = "staart"
    return f"{kind} on {where}"


OPERATORS: list[Mutatie] = [
    remove_required, remove_optional, duplicate, swap_siblings, set_value, set_value, set_value,
    header_value, empty_element, wrong_namespace, extra_element, decorate,
]


@dataclass
class Mutant:
    code: str
    source: str
    mutatie: str
    tree: etree._ElementTree


def mutants(n: int, seed: int = SEED) -> Iterator[Mutant]:
    rng = random.Random(seed)
    bases = _bases()
    made = 0
    while made < n:
        basis = rng.choice(bases)
        tree = copy.deepcopy(basis.tree)
        steps = []
        for _ in range(2 if rng.random() < SECOND_ORDER else 1):
            op = OPERATORS[(made + len(steps)) % len(OPERATORS)] if not steps \
                else rng.choice(OPERATORS)
            try:
                done = op(rng, tree, basis.code)
            except KeyError:
                # The first mutation left an element the model does not know; stop there.
                done = None
            if done:
                steps.append(done)
        if not steps:
            continue
        made += 1
        yield Mutant(basis.code, basis.source, " + ".join(steps), tree)


def _errors(s: etree.XMLSchema) -> str:
    return "; ".join(f"{e.line}: {e.message}" for e in s.error_log)[:600]


def test_model_schema_agrees_with_reference_on_mutants(reference_schema):
    needs_shared()
    verdicts: Counter[bool] = Counter()
    per_op: Counter[tuple[str, bool]] = Counter()
    disagreements = []
    for m in mutants(MUTANTS):
        ours, ref = schema(m.code), reference_schema(m.code)
        a, b = ours.validate(m.tree), ref.validate(m.tree)
        verdicts[b] += 1
        words = m.mutatie.split(" ")
        per_op[" ".join(words[:2]) if words[0] in ("remove", "duplicate") else words[0], b] += 1
        if a != b:
            disagreements.append(
                f"{m.code} ({m.source}) after [{m.mutatie}]: model says "
                f"{'valid' if a else 'invalid'}, reference says {'valid' if b else 'invalid'}\n"
                f"  model: {_errors(ours) or '-'}\n  reference: {_errors(ref) or '-'}")
    total = sum(verdicts.values())
    print(f"\ndifferential: {total} mutants, {verdicts[True]} valid, {verdicts[False]} invalid, "
          f"{len(disagreements)} disagreements")
    for op in sorted({op for op, _ in per_op}):
        print(f"  {op:24} {per_op[op, True]:5} valid {per_op[op, False]:5} invalid")
    assert not disagreements, f"{len(disagreements)} disagreements:\n" + "\n".join(
        disagreements[:15])
    assert total >= 2000
    # Neither verdict may dominate so much that the comparison becomes trivial.
    assert verdicts[False] >= 0.5 * total, verdicts
    assert verdicts[True] >= 0.05 * total, verdicts


def test_mutants_are_deterministic():
    needs_shared()
    first = [(m.code, m.mutatie, etree.tostring(m.tree)) for m in mutants(60)]
    again = [(m.code, m.mutatie, etree.tostring(m.tree)) for m in mutants(60)]
    assert first == again
    assert len({m[1] for m in first}) > 30


def test_every_operator_applies_to_some_message():
    needs_shared()
    bases = _bases()
    assert {b.code for b in bases} >= set(BERICHTEN)
    rng = random.Random(SEED)
    for op in OPERATORS:
        applied = [op(rng, copy.deepcopy(b.tree), b.code) for b in bases]
        assert any(applied), op.__name__


def test_samples_are_included_when_present():
    needs_shared()
    sources = {b.source.split("/")[0] for b in _bases()}
    assert "voorbeelden" in sources
    assert ("samples" in sources) == any(Path(SAMPLES).glob("*.xml"))
