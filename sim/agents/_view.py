"""A Mesa agent whose state is one row of an array table held by the model."""

from __future__ import annotations

import mesa


class ArrayRowAgent(mesa.Agent):
    """Mesa agent exposing row ``index`` of a table of arrays as attributes."""

    table_name: str = ""  # attribute of the model holding the table

    def __init__(self, model: mesa.Model, index: int):
        super().__init__(model)
        self.index = int(index)

    def __getattr__(self, name: str):
        table = getattr(self.__dict__["model"], type(self).table_name)
        arr = getattr(table, name, None)
        if arr is None or not hasattr(arr, "shape"):
            raise AttributeError(name)
        return arr[self.__dict__["index"]].tolist()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.index}>"
