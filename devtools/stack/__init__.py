"""The local stack: `python -m devtools.stack {run,migrate,test,bench,env,leftovers}`.

- run: PostgreSQL and Redis from DATABASE_URL / BROKER_URL, or embedded ones under
  `.local/` when unset; migrations; the API and the worker as child processes in their own
  process groups; in the foreground until Ctrl-C or SIGTERM, then everything stopped.
- migrate: apply the migrations (embedded PostgreSQL started and stopped when needed).
- test: pytest against the URLs, or against embedded servers under `.local/test/<pid>/`
  (deleted afterwards, so runs side by side do not meet).
- bench: the `run` stack under `.local/bench/` in the background, then devtools/bench.py.
- env: print DATABASE_URL or BROKER_URL of the running `make run` (e.g. for psql).
- leftovers: list processes a stack left behind (exit 1 if any); `.ci/run` uses it.

One supervisor per state folder at a time (a lock file); the pids it starts are written
down so that a later start can stop what a killed supervisor left running.

Modules: `commands` (one function per subcommand), `supervisor` (the state folder's lock
and record, the API and worker child processes), `embedded_postgres` and
`embedded_valkey` (the servers), `processes` (finding and stopping processes), `local`
(the `.local/` folder and small helpers).
"""
