"""The attack of issue 13, run from the Word profiles alone.

A small bundle (five clusters of two areas, cross-border flows with small counts, a count
indicator with small clusters) is exported with `export_all_profiles`, as an officer would.
The attacker then reads only the .docx files: every cluster's inflow and outflow table (counts
and shares), the cross-border sentences, and the profile table's counts and county values. With
whole counts 0 or more, the sums the tables obey and every printed percentage to within its
rounding, the attacker's own solver (tests/core/disclosure/attacker.py, not the product's audit)
finds the range of each hidden number. None may be narrower than the threshold. The same attack
on the old line-by-line suppression pins cells, so it can fail.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import docx
import numpy as np
import pandas as pd
import pytest

from desktop.core.model import OUTSIDE, SUPPRESSED, ValueType
from desktop.core.report import batch
from desktop.core.report.document import export_all_profiles, profile_filename
from desktop.core.stats import crossborder, flow_disclosure
from desktop.core.stats.aggregate import compute_statistics
from desktop.core.stats.suppression import primary_mask
from tests.core.disclosure.attacker import Attack
from tests.core.helpers_bundle import indicator, make_bundle

THRESHOLD = 5
CLUSTERS = ("Abbey", "Brook", "Castle", "Dale", "Elm")
AREAS = tuple((f"E0{k}{i}", f"{c} {i}", c) for k, c in enumerate(CLUSTERS) for i in (1, 2))
# pupils by school cluster (rows) and home cluster, then outside the county: the old rule,
# no line with exactly one hidden cell, leaves Castle's 4 pupils from Abbey pinned
FLOWS = np.array([[392, 9, 0, 3, 4, 25], [0, 310, 6, 1, 25, 25], [4, 40, 295, 40, 40, 6],
                  [2, 1, 6, 292, 14, 40], [2, 6, 0, 1, 165, 25]], dtype=float)
# children in need by area: Dale's two areas hold 3 and 2, Elm's 1 and 30
CIN = dict(zip([a[0] for a in AREAS], [40, 22, 31, 17, 25, 9, 3, 2, 1, 30]))


def _bundle():
    ind = indicator("children_in_need", ValueType.COUNT, periods=("2030",))
    rows = [(ind.id, code, "2030", float(n), np.nan, np.nan) for code, n in CIN.items()]
    bundle = make_bundle([ind], rows, areas=AREAS, clusters=CLUSTERS, threshold=THRESHOLD)
    first = {c: code for code, _, c in reversed(AREAS)}
    homes = [*CLUSTERS, OUTSIDE]
    flows = pd.DataFrame(
        [(s, first[h] if h != OUTSIDE else OUTSIDE, "2030", FLOWS[i, j])
         for i, s in enumerate(CLUSTERS) for j, h in enumerate(homes) if FLOWS[i, j] > 0],
        columns=["school_cluster", "home_area_code", "period", "pupils"])
    return dataclasses.replace(bundle, flows=flows)


def _number(text: str) -> float | None:
    return None if text == SUPPRESSED else float(text.replace(",", "").rstrip("%"))


class _Reader:
    """What the attacker learns from the Word files: each number by name (or unknown)."""

    def __init__(self) -> None:
        self.known: dict[str, float] = {}
        self.seen: set[str] = set()
        self.sums: dict[str, list[str]] = {}
        self.shares: list[tuple[list[tuple[str, float]], list[str], float]] = []

    def cell(self, name: str, text: str) -> str:
        self.seen.add(name)
        value = _number(text)
        if value is not None:
            self.known[name] = value
        return name

    def read(self, path: Path, cluster: str) -> None:
        document = docx.Document(str(path))
        for table in document.tables:
            rows = [[c.text for c in row.cells] for row in table.rows]
            if rows[0][0] == "Pupils living in":
                self._flow_table(rows, cluster, lambda place: (cluster, place), "R:" + cluster)
            elif rows[0][0] == "Attending school in":
                self._flow_table(rows, cluster, lambda place: (place, cluster), "C:" + cluster)
            elif rows[0][:3] == ["Indicator", "Period", "Count"]:
                for row in rows[1:]:
                    if row[0].startswith("Children in need"):
                        self.cell(f"cin:{cluster}", row[2])
                        self.cell("cin:county", row[5])  # a count's county value is its count
        text = "\n".join(p.text for p in document.paragraphs)
        self._sentences(text)

    def _flow_table(self, rows, cluster, key, total) -> None:
        parts = []
        for place, pupils, share in rows[1:]:
            if place == "Total":
                self.cell(total, pupils)
                continue
            school, home = key(place)
            name = self.cell(f"M:{school}|{home}", pupils)
            parts.append(name)
            if share != SUPPRESSED:
                self.shares.append(([(name, 1.0)], [total], _number(share)))
        self.sums[total] = parts

    def _sentences(self, text: str) -> None:
        for share, name in re.findall(r"(\d+\.\d)% of the pupils at (.+?)'s schools live "
                                      r"outside the cluster", text):
            self.shares.append(([(f"R:{name}", 1.0), (f"M:{name}|{name}", -1.0)],
                                [f"R:{name}"], float(share)))
        for share, name in re.findall(r"(\d+\.\d)% of the children living in (.+?) attend a "
                                      r"school in another cluster", text):
            self.shares.append(([(f"C:{name}", 1.0), (f"M:{name}|{name}", -1.0)],
                                [f"C:{name}"], float(share)))
        grand = re.search(r"of the ([\d,]+) pupils at the county's schools|the county's "
                          r"schools had ([\d,]+) pupils", text)
        if grand:
            self.cell("G", next(g for g in grand.groups() if g))
        outside = [f"M:{s}|{crossborder.OUTSIDE_LABEL}" for s in CLUSTERS]
        found = re.search(r"(\d+\.\d)% of the (?:[\d,]+ )?pupils at the county's schools "
                          r"lived outside the county", text)
        if found:
            self.shares.append(([(n, 1.0) for n in outside], ["G"], float(found.group(1))))
        found = re.search(r"(\d+\.\d)% of the pupils living in a cluster attended", text)
        if found:
            resident = [f"M:{s}|{h}" for s in CLUSTERS for h in CLUSTERS]
            crossing = [(n, 1.0) for n in resident if n.split(":")[1].split("|")[0]
                        != n.split("|")[1]]
            self.shares.append((crossing, resident, float(found.group(1))))

    def attack(self) -> dict[str, tuple[float, float]]:
        """Every hidden number's range, by the tests' own solver."""
        attack = Attack()
        names = self.seen | {"G"} | {f"R:{c}" for c in CLUSTERS}

        def item(name: str) -> str | float:
            return self.known[name] if name in self.known else attack.unknown(name)

        for name in sorted(names):
            item(name)
        for total, parts in self.sums.items():
            attack.total([item(p) for p in parts], item(total))
        attack.total([item(f"R:{c}") for c in CLUSTERS], item("G"))
        attack.total([item(f"cin:{c}") for c in CLUSTERS], item("cin:county"))
        for numerator, denominator, share in self.shares:
            self._share(attack, item, numerator, denominator, share)
        return attack.ranges()

    @staticmethod
    def _share(attack: Attack, item, numerator, denominator, share) -> None:
        """A printed share of sums: a helper unknown for each side that is not one cell."""
        sides = []
        for side, terms in (("n", numerator), ("d", [(n, 1.0) for n in denominator])):
            if len(terms) == 1 and terms[0][1] == 1.0:
                sides.append(item(terms[0][0]))
                continue
            helper = attack.unknown(f"{side}:{len(attack.unknowns)}")
            parts = [item(n) for n, c in terms if c > 0]
            minus = [item(n) for n, c in terms if c < 0]
            attack.total([helper, *minus], parts[0] if len(parts) == 1 else
                         _sum(attack, parts))
            sides.append(helper)
        attack.share(sides[0], sides[1], share)


def _sum(attack: Attack, parts: list) -> str:
    total = attack.unknown(f"s:{len(attack.unknowns)}")
    attack.total(parts, total)
    return total


def _attack_exports(bundle, folder: Path) -> dict[str, tuple[float, float]]:
    stats = compute_statistics(bundle)
    paths = export_all_profiles(bundle, stats, folder)
    reader = _Reader()
    for cluster in CLUSTERS:
        path = folder / profile_filename(cluster)
        assert path in paths
        reader.read(path, cluster)
    return {k: v for k, v in reader.attack().items() if not k.startswith(("n:", "d:", "s:"))}


@pytest.mark.slow
def test_no_hidden_number_can_be_narrowed_from_the_word_profiles(tmp_path):
    ranges = _attack_exports(_bundle(), tmp_path)
    hidden_flows = [k for k in ranges if k.startswith("M:")]
    assert len(hidden_flows) >= 6, ranges  # the attack meets loops of hidden cells
    assert "M:Castle|Abbey" in ranges and "cin:Dale" in ranges
    narrow = {k: r for k, r in ranges.items() if r[1] - r[0] < THRESHOLD}
    assert narrow == {}, narrow


@pytest.mark.slow
def test_the_same_attack_pins_cells_under_the_old_line_by_line_rule(tmp_path, monkeypatch):
    """Suppression that only makes every row and column hold two hidden cells (the old rule,
    no audit) and prints every county share: the attacker pins a hidden count exactly."""
    def lines_only(layout, pupils, threshold):
        values = layout.values(pupils)
        start = flow_disclosure._lines(layout, values, primary_mask(values, threshold),
                                       threshold)
        return start, flow_disclosure.CountyShares(True, True), None

    monkeypatch.setattr(crossborder, "suppress_flows", lines_only)
    monkeypatch.setattr(batch, "HELPERS", 0)  # the old rule is patched in this process only
    ranges = _attack_exports(_bundle(), tmp_path)
    pinned = {k for k, (low, high) in ranges.items() if low == high}
    assert "M:Castle|Abbey" in pinned, ranges
