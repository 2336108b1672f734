"""The window's status line: what the open bundle holds, or the progress of slow work.

While a bundle opens or an export runs, the line shows its message, a progress bar and Cancel;
when the work ends (each passphrase attempt ends one) it goes back to the bundle's summary, so
no stale "Deriving key… 3%" stays behind a new passphrase prompt. A long message is cut at the
window's edge rather than widening the window.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QSizePolicy, QStatusBar, QToolButton, QWidget

from desktop.core.stats.profile import indicators_for_basis
from desktop.gui.session import Session


def bundle_summary(session: Session) -> str:
    """"demo.atlas: 364 areas, 12 clusters, 86 indicators": the indicator count is the
    profile's (each pupil indicator once, on the chosen basis), as in the Word profile."""
    if not session.is_open:
        return ""
    bundle = session.bundle
    return (f"{session.path.name}: {len(bundle.areas)} areas, {len(bundle.clusters)} clusters, "
            f"{len(indicators_for_basis(bundle, session.basis))} indicators")


class StatusBar(QStatusBar):
    cancel_requested = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.label = QLabel()
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.addWidget(self.label, 1)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setMaximumWidth(220)
        self.progress_bar.setAccessibleName("Progress")
        self.cancel_button = QToolButton()
        self.cancel_button.setText("Cancel")
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.addPermanentWidget(self.progress_bar)
        self.addPermanentWidget(self.cancel_button)
        self.progress_bar.hide()
        self.cancel_button.hide()
        for signal in (session.bundle_opened, session.bundle_closed, session.basis_changed):
            signal.connect(self._summarise)

    @property
    def busy(self) -> bool:
        return not self.progress_bar.isHidden()

    def say(self, message: str) -> None:
        self.label.setText(message)

    def start(self, message: str) -> None:
        """Work began: its message, an empty progress bar and Cancel."""
        self.say(message)
        self.progress_bar.setValue(0)
        self.progress_bar.show()
        self.cancel_button.show()

    def progress(self, fraction: float, message: str) -> None:
        self.progress_bar.setValue(int(fraction * 1000))
        if message:
            self.say(message)

    def stop(self) -> None:
        """Work ended: back to the bundle's summary."""
        self.progress_bar.hide()
        self.cancel_button.hide()
        self.say(bundle_summary(self.session))

    def _summarise(self, *_args) -> None:
        if not self.busy:  # not over the message of work in progress
            self.say(bundle_summary(self.session))
