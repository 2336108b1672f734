"""An open bundle together with everything computed from it once, on opening."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from desktop.core.bundle.encrypted import read_bundle
from desktop.core.geometry.display import SCREEN_SIMPLIFY_METRES
from desktop.core.maps import shapes
from desktop.core.model import Bundle
from desktop.core.stats.aggregate import Statistics, compute_statistics
from desktop.core.stats.crossborder import flow_matrices
from desktop.core.tasks import Task


@dataclass(frozen=True, eq=False)
class Workspace:
    bundle: Bundle
    statistics: Statistics
    # the screen map's drawable geometry (simplified paths, outlines, hit-test tree): seconds
    # at England scale, so built here in the opening worker rather than on the GUI thread
    map_geometry: shapes.MapGeometry | None = None


def load_workspace(path: str | Path, passphrase: str, task: Task | None = None) -> Workspace:
    """Decrypt and read the bundle (in memory), compute every aggregate once and prepare the
    map's geometry."""
    task = task or Task()
    bundle = read_bundle(path, passphrase, task.part(0.0, 0.6))
    statistics, geometry = derive(bundle, task.part(0.6, 1.0))
    task.report(1.0, "Ready")
    return Workspace(bundle, statistics, geometry)


def derive(bundle: Bundle, task: Task | None = None
           ) -> tuple[Statistics, shapes.MapGeometry]:
    """The statistics and the screen map's geometry of a bundle, side by side on two cores:
    they share nothing, and both spend much of their time in numpy and GEOS, which release
    the GIL (measured at England scale: 1.45 s together against 1.6 s one after the other).
    The cross-border tables' suppression (a few solver calls per period) runs beside them too,
    and is then kept with the bundle (crossborder.flow_matrix)."""
    task = task or Task()
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="cluster-atlas-open") as pool:
        geometry = pool.submit(shapes.prepare_geometry, bundle.areas, bundle.schools,
                               simplify=SCREEN_SIMPLIFY_METRES, display=bundle.display)
        flows = pool.submit(flow_matrices, bundle)
        statistics = compute_statistics(bundle, task.part(0.0, 0.9))
        task.report(0.9, "Preparing the map and the cross-border tables")
        prepared = geometry.result()
        flows.result()
    task.check()
    return statistics, prepared
