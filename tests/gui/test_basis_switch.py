"""The Basis choice: values by where pupils live or by where they go to school."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.core.bundle.encrypted import write_bundle
from desktop.core.format import format_value
from desktop.core.stats.profile import indicators_for_basis
from desktop.gui.views.profile_rows import COL_PERIOD, COL_TITLE, COL_VALUE
from tests.conftest import DEMO_PASSPHRASE
from tests.core.bundle_factory import make_bundle
from tests.gui.test_main_window import open_with, window  # noqa: F401  (the fixture)


def profile_ids(view) -> list[str]:
    model = view.model
    ids = []
    for t in range(model.rowCount()):
        parent = model.index(t, 0)
        ids += [model.row_at(model.index(k, 0, parent)).indicator_id
                for k in range(model.rowCount(parent))]
    return ids


def cell(view, indicator_id: str, column: int, role=Qt.ItemDataRole.DisplayRole):
    model = view.model
    index = model.index_for_indicator(indicator_id)
    return model.data(model.index(index.row(), column, index.parent()), role)


def rug_ids(window) -> list[str]:
    """The indicators of the compare-clusters rug's rows."""
    model = window.compare_view.model
    return [model.cell_key(model.index(r, 0))[1] for r in range(model.rowCount())]


def choose_basis(bar, basis: str) -> None:
    combo = bar.basis_combo
    combo.setCurrentIndex(combo.findData(basis))
    combo.activated.emit(combo.currentIndex())


def test_switching_basis_moves_indicator_profile_and_values_to_the_twins(
        qtbot, window, demo_bundle_path, scripted):  # noqa: F811
    open_with(qtbot, window, demo_bundle_path, scripted(DEMO_PASSPHRASE))
    s, bar, view = window.session, window.selection_bar, window.profile_view
    bundle = s.bundle
    assert bar.basis_combo.isEnabled() and s.basis == "residence"
    assert profile_ids(view) == [i.id for i in indicators_for_basis(bundle, "residence")]
    assert sorted(rug_ids(window)) == sorted(profile_ids(view))  # the rug: one row per shown
    assert "where pupils live" in cell(view, "pupils_fsm", COL_PERIOD,
                                       Qt.ItemDataRole.ToolTipRole)
    s.set_indicator("pupils_fsm")
    cluster = s.cluster

    with qtbot.waitSignal(s.basis_changed):
        choose_basis(bar, "school")
    assert s.basis == "school"
    assert s.indicator_id == "pupils_fsm__school"
    ids = profile_ids(view)
    assert ids == [i.id for i in indicators_for_basis(bundle, "school")]
    assert "pupils_fsm__school" in ids and "pupils_fsm" not in ids
    assert sorted(rug_ids(window)) == sorted(ids)
    assert view.current_indicator() == "pupils_fsm__school"
    # the value shown is the core's cluster value for the twin, and the row says its basis
    twin = bundle.manifest.indicator("pupils_fsm__school")
    expected = s.statistics.cluster_values(twin.id, twin.latest_period).loc[cluster]
    hidden = bool(expected["suppressed"])
    assert cell(view, twin.id, COL_VALUE) == format_value(expected["value"], "proportion",
                                                          twin.unit, hidden)
    assert cell(view, twin.id, COL_TITLE).startswith(
        "Pupils eligible for free school meals (by school)")
    assert "where pupils go to school" in cell(view, twin.id, COL_PERIOD,
                                               Qt.ItemDataRole.ToolTipRole)
    residence = s.statistics.cluster_values("pupils_fsm", twin.latest_period).loc[cluster]
    assert expected["denominator"] != residence["denominator"]  # really a different count
    # the toolbar lists the indicators of the chosen basis
    listed = [bar.indicator_combo.itemData(k) for k in range(bar.indicator_combo.count())]
    assert "pupils_fsm__school" in listed and "pupils_fsm" not in listed
    assert bar.indicator_combo.currentData() == "pupils_fsm__school"

    # an indicator with no twin stays put; switching back returns to the residence one
    choose_basis(bar, "residence")
    assert s.indicator_id == "pupils_fsm"
    assert profile_ids(view) == [i.id for i in indicators_for_basis(bundle, "residence")]
    other = next(i.id for i in bundle.manifest.indicators if not i.basis)
    s.set_indicator(other)
    choose_basis(bar, "school")
    assert s.indicator_id == other and s.basis == "school"


def test_basis_choice_is_off_for_a_bundle_without_school_values(qtbot, window, tmp_path,
                                                                 scripted):  # noqa: F811
    path = tmp_path / "small.atlas"
    write_bundle(make_bundle(), path, "basis-test")
    open_with(qtbot, window, path, scripted("basis-test"))
    s = window.session
    assert s.is_open and not window.selection_bar.basis_combo.isEnabled()
    s.set_basis("school")  # nothing to switch to: refused, the profile keeps every indicator
    assert s.basis == "residence"
    assert profile_ids(window.profile_view) == [
        i.id for i in indicators_for_basis(s.bundle, "residence")]
    assert window.selection_bar.indicator_combo.count() == len(s.bundle.manifest.indicators)
