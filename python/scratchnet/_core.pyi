# The compiled module's names, for type checkers and editors; scratchnet/__init__.py documents
# them for people.
from typing import Any

__version__: str

def xor(seed: int, iterations: int, hidden: int, lr: float) -> dict[str, Any]: ...
