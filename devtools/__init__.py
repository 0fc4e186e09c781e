"""Developer tooling, run from the checkout (`python -m devtools.<tool>`); not installed.

The production wheel holds `services` and `shared` only (see pyproject.toml); these tools
import them, never the other way round (import-linter contract, `make lint`).
"""
