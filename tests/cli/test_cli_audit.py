"""`cluster-atlas audit`: a clean bundle passes with exit 0; weakened suppression is caught."""

from __future__ import annotations

import json

import numpy as np
import pytest

from desktop.cli import common
from desktop.cli.main import main
from desktop.core.stats import suppression
from tests.cli.test_cli import PASS, output, packed  # noqa: F401 - fixture
from tests.conftest import DEMO_PASSPHRASE


@pytest.mark.slow
def test_the_demo_bundle_audits_clean(demo_bundle_path, monkeypatch, capsys):
    monkeypatch.setenv(common.PASSPHRASE_ENV, DEMO_PASSPHRASE)
    assert main(["audit", str(demo_bundle_path), "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["passed"] is True
    assert found["pinned"] == found["narrowed"] == found["not_checked"] == 0
    assert found["tables"]["cross_border_periods"] == 3
    assert found["tables"]["school_home_areas"] > 200  # every school of the latest period
    assert found["tables"]["indicator_periods"] > 400
    assert found["suppressed_cells"] > 40_000  # rare indicators at LSOA level: many
    # the published pooling, each window with its periods
    assert found["pooling"] == 3 and found["tables"]["pooled_windows"] == 142
    assert 15_000 < found["suppressed_pooled_cells"] < found["suppressed_cells"] - 50_000
    assert found["failures"] == []


def test_the_report_reads_as_a_pass(packed, monkeypatch, capsys):
    out = output(monkeypatch, capsys, "audit", str(packed))
    assert out.startswith("Disclosure audit of example.atlas (Worcester example cluster")
    assert "The attacker holds every export of this bundle" in out
    assert "Cells an attacker could pin exactly:       0" in out
    assert "    of which pooled (3 periods combined):" in out
    assert "the published pooling, 3 periods combined" in " ".join(out.split())
    assert "PASS: no suppressed count can be worked out" in out
    assert PASS not in out


def test_weaker_suppression_is_caught_and_exits_1(packed, monkeypatch, capsys):
    """With only small counts hidden (no secondary suppression), the audit finds cells that
    the sums narrow below the threshold, names them and fails."""
    monkeypatch.setattr(suppression, "protect_hierarchy",
                        lambda hidden, *args, **kwargs: np.asarray(hidden, bool).copy())
    out = output(monkeypatch, capsys, "audit", str(packed), status=1)
    assert "FAIL:" in out
    narrowed = int(out.split("Cells narrowed below the protection:")[1].split()[0])
    assert narrowed > 0
    assert "  - fsm 2020/21, cluster Worcester North: 0 to 2 (needs a range of 5)" in out
    assert main(["audit", str(packed), "--json"]) == 1
    found = json.loads(capsys.readouterr().out)
    assert found["passed"] is False and found["narrowed"] == narrowed
    assert len(found["failures"]) == narrowed
    assert all(f["high"] - f["low"] < f["required_width"] for f in found["failures"])


def test_a_wrong_passphrase_is_an_error_not_a_failed_audit(packed, monkeypatch, capsys):
    monkeypatch.setenv(common.PASSPHRASE_ENV, "not it")
    assert main(["audit", str(packed)]) == 2
    assert "passphrase" in capsys.readouterr().err.lower()
