"""The paths that make England-scale bundles open fast and small: Parquet read by row group into
preallocated columns, stored ZIP members read in place, statistics summed and suppressed in
blocks of indicator-periods. Each must give exactly what the plain paths give."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from desktop.core import bigarrays
from desktop.core.bundle.archive import bundle_from_zip, bundle_to_zip
from desktop.core.bundle.columns import read_columns, to_pandas
from desktop.core.bundle.members import stored_member
from desktop.core.errors import DamagedBundle
from desktop.core.stats import aggregate
from desktop.core.stats.aggregate import compute_statistics
from tests.core.helpers_bundle import make_bundle, sample_bundle


def _parquet(table: pa.Table, row_group_size: int) -> pq.ParquetFile:
    buffer = io.BytesIO()
    pq.write_table(table, buffer, row_group_size=row_group_size)
    return pq.ParquetFile(pa.BufferReader(buffer.getvalue()), read_dictionary=["key"])


def test_row_group_reader_equals_the_plain_reader_across_changing_dictionaries():
    """Each row group has its own dictionary (here growing past the int8 and int16 code
    ranges, with nulls); categories keep their first-appearance order."""
    rng = np.random.default_rng(1)
    n = 90_000
    keys = np.array([f"k{i}" for i in range(40_000)], dtype=object)
    key = keys[np.minimum(np.arange(n) // 2, 39_999)]
    key[5] = None
    num = rng.normal(size=n)
    table = pa.table({"key": pa.array(key, pa.string()),
                      "x": pa.array(np.where(rng.random(n) < 0.2, np.nan, num), from_pandas=True),
                      "i": pa.array(np.arange(n, dtype=np.int32)),
                      "nothing": pa.nulls(n)})
    parquet = _parquet(table, 7_000)
    fast = read_columns(parquet, ["key", "x", "i", "nothing"], ("key",))
    plain = to_pandas(parquet, ["key", "x", "i", "nothing"], ("key",))
    assert fast["key"].dtype.categories.dtype == "str"
    assert fast["key"].array.codes.dtype == np.int32  # 40,000 categories
    assert list(fast["key"].cat.categories[:3]) == ["k0", "k1", "k2"]
    assert fast["key"].isna().sum() == 1
    pd.testing.assert_series_equal(fast["key"].astype(object), plain["key"].astype(object))
    np.testing.assert_array_equal(fast["x"].to_numpy(), table["x"].to_numpy())
    assert fast["i"].dtype == np.float64 and fast["i"].iloc[-1] == n - 1
    assert fast["nothing"].isna().all() and fast["nothing"].dtype == np.float64


@pytest.mark.parametrize(("n", "dtype"), [(0, np.float64), (3, np.int8), (5_000_000, np.bool_)])
def test_big_arrays_are_zeroed_and_writable(n, dtype):
    array = bigarrays.zeros(n, dtype)
    assert array.shape == (n,) and array.dtype == dtype and not array.any()
    array[-1:] = 1
    assert array.sum() == min(n, 1)


def test_row_group_reader_leaves_other_column_kinds_to_the_plain_reader():
    parquet = _parquet(pa.table({"key": ["a", "b"], "x": ["1", "2"]}), 10)
    assert read_columns(parquet, ["key", "x"], ("key",)) is None


def test_parquet_members_are_stored_and_read_in_place():
    bundle = sample_bundle()
    data = bundle_to_zip(bundle)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = {i.filename: i for i in archive.infolist()}
        assert {i.compress_type for n, i in infos.items() if n.endswith(".parquet")} == \
            {zipfile.ZIP_STORED}
        view = stored_member(data, archive, "values.parquet")
        assert isinstance(view, memoryview) and view.obj is data  # no copy
        assert bytes(view) == archive.read("values.parquet")
    opened = bundle_from_zip(data, "sample.atlas").values.astype(object)
    old = bundle_from_zip(_deflated(data), "old.atlas").values.astype(object)
    pd.testing.assert_frame_equal(opened, old)


def _deflated(data: bytes) -> bytes:
    """The same archive with every member deflated, as older bundles were written."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            dst.writestr(name, src.read(name))
    return out.getvalue()


def test_a_flipped_byte_in_a_stored_member_is_refused_by_its_crc():
    data = bytearray(bundle_to_zip(sample_bundle()))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("values.parquet")
    data[info.header_offset + 30 + len(info.filename) + 100] ^= 0xFF
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        assert stored_member(bytes(data), archive, "values.parquet") is None
    with pytest.raises(DamagedBundle, match="values.parquet"):
        bundle_from_zip(bytes(data), "flipped.atlas")


def _all_views(stats, bundle) -> list[pd.DataFrame]:
    return [view(ind.id, period) for ind in bundle.manifest.indicators
            for period in stats.periods(ind.id)
            for view in (stats.cluster_values, stats.area_values)]


@pytest.mark.parametrize("block_rows", [1, 50, 700])
def test_statistics_do_not_depend_on_the_block_size(block_rows, monkeypatch, demo_bundle):
    """Every sum and suppression equation lies inside one indicator-period, so summing and
    suppressing a few indicator-periods at a time equals doing all at once."""
    whole = compute_statistics(demo_bundle)
    assert whole.table["suppressed"].any()
    monkeypatch.setattr(aggregate, "BLOCK_ROWS", block_rows)
    blocks = compute_statistics(demo_bundle)
    for a, b in zip(_all_views(whole, demo_bundle), _all_views(blocks, demo_bundle)):
        pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(whole.table, blocks.table)
    pd.testing.assert_frame_equal(whole.trends, blocks.trends)


def test_rows_of_unknown_areas_and_split_indicator_periods_are_handled():
    """Values read in place need each indicator-period in one run and every area known; other
    tables are reordered first and give the same statistics, unknown areas left out."""
    bundle = sample_bundle()
    values = bundle.values
    stray = values.iloc[:3].assign(area_code="E99999999", numerator=1e6)
    split = pd.concat([values.iloc[1::2], stray, values.iloc[::2]], ignore_index=True)
    other = make_bundle(bundle.manifest.indicators, split, deprivation_indicator="imd_score")
    a, b = compute_statistics(bundle), compute_statistics(other)
    for x, y in zip(_all_views(a, bundle), _all_views(b, bundle)):
        pd.testing.assert_frame_equal(x, y)


def test_exact_float32_columns_give_the_same_statistics(monkeypatch, demo_bundle):
    """Large bundles keep whole-number columns as float32 (half the memory); every number
    widened back is the original, so every statistic is identical to the float64 reading.
    A column with a value float32 cannot hold exactly stays float64."""
    from desktop.core.bundle import columns as bundle_columns

    payload = bundle_to_zip(demo_bundle)
    wide = bundle_from_zip(payload, "demo.atlas")
    monkeypatch.setattr(bundle_columns, "COMPACT_FROM", 0)
    narrow = bundle_from_zip(payload, "demo.atlas")
    dtypes = narrow.values[["numerator", "denominator", "value"]].dtypes.tolist()
    assert dtypes[0] == np.float32  # the demo's numerators are whole counts
    assert dtypes[2] == np.float64  # its means and scores are not exact in float32
    for column in ("numerator", "denominator", "value"):
        np.testing.assert_array_equal(narrow.values[column].to_numpy(np.float64),
                                      wide.values[column].to_numpy())
    a, b = compute_statistics(wide), compute_statistics(narrow)
    for x, y in zip(_all_views(a, demo_bundle), _all_views(b, demo_bundle)):
        pd.testing.assert_frame_equal(x, y)
    pd.testing.assert_frame_equal(a.table, b.table)
    pd.testing.assert_frame_equal(a.trends, b.trends)


def test_a_column_widens_to_float64_at_the_first_number_float32_would_round(monkeypatch):
    """Row groups of whole numbers, then one that is not: the column ends float64 with every
    number exact, the earlier rows included; all-whole columns stay float32."""
    from desktop.core.bundle import columns as bundle_columns

    monkeypatch.setattr(bundle_columns, "COMPACT_FROM", 0)
    exact = np.array([0.0, 1.0, 16_777_216.0, np.nan, 0.5, -3.0])
    for inexact in (0.1, 16_777_217.0, 1e40):
        rounding = np.r_[exact, exact, exact[:-1], inexact]
        table = pa.table({"k": pa.array(["a"] * rounding.size).dictionary_encode(),
                          "n": rounding, "m": np.r_[exact, exact, exact]})
        buffer = io.BytesIO()
        pq.write_table(table, buffer, row_group_size=6)
        frame = read_columns(pq.ParquetFile(io.BytesIO(buffer.getvalue())), ["k", "n", "m"],
                             ("k",))
        assert frame["n"].dtype == np.float64 and frame["m"].dtype == np.float32
        np.testing.assert_array_equal(frame["n"].to_numpy(), rounding)
        np.testing.assert_array_equal(frame["m"].to_numpy(np.float64), table["m"].to_numpy())
