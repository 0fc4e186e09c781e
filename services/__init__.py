"""The two services: `python -m services.import_api` and `python -m services.validator_worker`.

Imported before anything else of either service: Arrow's C++ code allocates from the pool
this variable names when it is first used (`pa.set_memory_pool` changes only pyarrow's own
calls), and its default, mimalloc, keeps what it freed (shared/memory.py).
"""

import os

os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
