"""Help > About: versions, data sources and the licence attributions the bundle carries."""

from __future__ import annotations

import platform
from importlib import metadata

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from desktop import APP_NAME, __version__
from desktop.core.model import Manifest
from desktop.gui.text_room import text_size

_LIBRARIES = ("pandas", "numpy", "geopandas", "shapely", "pyproj", "matplotlib", "pyarrow",
              "pyrage", "zxcvbn", "python-docx", "openpyxl")


def library_versions() -> list[tuple[str, str]]:
    rows = [("Python", platform.python_version()), ("Qt", qVersion()),
            ("PySide6", pyside_version)]
    for name in _LIBRARIES:
        try:
            rows.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            rows.append((name, "not installed"))
    return rows


def about_html(manifest: Manifest | None) -> str:
    parts = [f"<h2>{APP_NAME} {__version__}</h2>",
             "<p>An offline atlas of school clusters: encrypted bundles, Public Health England "
             "(Fingertips) statistics, maps and Word-ready exports. It never connects to the "
             "internet.</p>"]
    if manifest is not None:
        parts.append(f"<h3>Open bundle: {_esc(manifest.title)}</h3>")
        parts.append(f"<p>{_esc(manifest.area_name)} &middot; geography {_esc(manifest.geography_vintage)}"
                     f" &middot; made {_esc(manifest.created[:10])} by {_esc(manifest.producer)}</p>")
        parts.append(f"<p><b>Licence:</b> {_esc(manifest.licence)}</p>")
        if manifest.contact:
            parts.append(f"<p><b>Contact:</b> {_esc(manifest.contact)}</p>")
        parts.append(f"<p><b>Attribution:</b> {_esc(manifest.attribution)}</p>")
        sources = sorted({ind.source for ind in manifest.indicators if ind.source})
        if sources:
            parts.append("<p><b>Data sources:</b></p><ul>"
                         + "".join(f"<li>{_esc(s)}</li>" for s in sources) + "</ul>")
    parts.append("<h3>Versions</h3><table>"
                 + "".join(f"<tr><td>{n}</td><td>&nbsp;{v}</td></tr>" for n, v in library_versions())
                 + "</table>")
    parts.append("<p>Cluster Atlas is released under the MIT licence. Qt and PySide6 are used "
                 "under the LGPL v3. Suggested passphrases use the EFF long word list "
                 "(&copy; Electronic Frontier Foundation, CC BY 3.0 US).</p>")
    return "\n".join(parts)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class AboutDialog(QDialog):
    def __init__(self, manifest: Manifest | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"About {APP_NAME}")
        layout = QVBoxLayout(self)
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(False)
        self.text.setHtml(about_html(manifest))
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                          | Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(text_size(self, 87, 40))  # characters and lines: grows with the text
