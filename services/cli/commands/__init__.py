"""The sub-commands, a module per group; each `run_*` returns the process exit status."""
