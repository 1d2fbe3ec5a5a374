"""A file upload that takes a dropped file or one chosen with a button (a real ``<input type="file">``).

Solara's ``FileDrop`` accepts drops only: users who do not drag files (and
browser tests) need the ordinary file chooser. ``FileDropPick`` is ``FileDrop``
with a "Choose a file…" button: the same widget class (its chunked transfer to
the server), a template with an input, and the same ``on_file`` callback.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import solara
import traitlets
from solara.components.file_drop import FileDropZone


class FilePickZone(FileDropZone):
    """Solara's drop zone with a file input beside it."""

    template_file = (__file__, "upload.vue")
    button = traitlets.Unicode("Choose a file…").tag(sync=True)
    accept = traitlets.Unicode("").tag(sync=True)


@solara.component
def FileDropPick(
    label: str, button: str, on_file: Callable[[dict[str, Any]], None], accept: str = "", max_bytes: int | None = None
):
    """Drop a file or choose one; ``on_file`` gets ``{"name", "size", "file_obj", "data"}``.

    ``data`` is the whole file, or None when it is larger than ``max_bytes``: its bytes are then never
    asked from the browser (the handler refuses it by its size).
    """
    file_info, set_file_info = solara.use_state(None)
    wired, set_wired = solara.use_state(None)
    zone = FilePickZone.element(label=label, button=button, accept=accept, on_file_info=set_file_info, multiple=False)

    def wire():
        # as solara's FileDrop: a new file_info means the browser holds a file; ask for its content
        if not file_info:
            return
        real = solara.get_widget(zone)
        real.version += 1
        real.reset_stats()
        set_wired(real.get_files())

    solara.use_effect(wire, [file_info])

    def handle(cancel: threading.Event):
        if wired:
            info = wired[0]
            too_big = max_bytes is not None and int(info.get("size", 0)) > max_bytes
            info["data"] = None if too_big else info["file_obj"].read()
            on_file(info)

    result = solara.use_thread(handle, [wired])
    if result.error:
        raise result.error
    return zone
