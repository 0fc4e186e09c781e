"""Configuration, read once at start-up from the environment (see README, Configuration)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting of the API and the worker; environment variables in the README."""

    model_config = SettingsConfigDict(env_prefix="CONTACTIMPORT_", frozen=True, extra="ignore")

    database_url: str = Field("", validation_alias="DATABASE_URL")
    broker_url: str = Field("", validation_alias="BROKER_URL")
    listen: str = "[::]:50051"
    # TLS on the gRPC port (PEM files, read at start: restart to rotate): a certificate chain
    # and its key; with a client CA too, every caller must present a certificate it signed.
    tls_cert_file: Path | None = None
    tls_key_file: Path | None = None
    tls_client_ca_file: Path | None = None
    queue: str = "contactimport.imports"
    # Completion events (docs/events.md): the RabbitMQ topic exchange, or with a Redis
    # broker the Redis stream, the API's event relay publishes ImportEvent messages to.
    events_exchange: str = "contactimport.events"
    # The API's Prometheus endpoint (http://host:PORT/metrics); 0 turns it off. Workers
    # serve theirs through Dramatiq (dramatiq_prom_port, default 9191).
    metrics_port: int = Field(9101, ge=0, le=65535)
    log_format: Literal["text", "json"] = "text"
    jwt_key: str = ""
    jwt_key_file: Path | None = None
    jwt_algorithms: str = "HS256"
    jwt_audience: str = "contactimport"
    db_pool_min: int = 1
    db_pool_max: int = 10
    # Every wait on the database has a bound (docs/operations.md, "Faults"): opening a
    # connection, taking one from the pool, and each statement (the API's answer within 5 s
    # when the database does not; the worker's bulk statements get longer).
    db_connect_timeout_seconds: float = Field(2.0, gt=0)
    db_acquire_timeout_seconds: float = Field(2.0, gt=0)
    db_statement_timeout_seconds: float = Field(3.0, gt=0)
    worker_db_statement_timeout_seconds: float = Field(60.0, gt=0)
    max_inflated_bytes: int = 200_000_000
    # Bytes of uploads one API process receives and checks at once; beyond: SERVER_BUSY.
    max_upload_bytes_in_flight: int = Field(40_000_000, ge=1)
    max_parallel_reads: int = 4
    outbox_interval_seconds: float = 5.0
    republish_after_seconds: float = 600.0
    worker_lease_seconds: float = 120.0
    # On SIGTERM a worker's current import gets this long to finish; then it is interrupted,
    # its claim given up and its message sent again, so another worker takes it at once.
    worker_shutdown_seconds: float = Field(30.0, gt=0)
    grace_seconds: float = 10.0
    page_token_key: str = ""
    history_days: int = 20
    deleted_visible_days: int = 3
    retention_interval_seconds: float = 600.0
    # false: no retention timer in the worker processes (retention then runs as its own
    # command, `python -m services.validator_worker.retention`, e.g. a CronJob).
    worker_retention: bool = True
    log_level: str = "INFO"
    phone_library: Literal["phonenumbers", "rphonenumbers"] = "phonenumbers"
    # Processes that check the rows of one import (per worker process); 1: in the worker.
    check_processes: int = Field(default_factory=lambda: _cores(), ge=1)

    @field_validator("tls_cert_file", "tls_key_file", "tls_client_ca_file", mode="before")
    @classmethod
    def _unset_when_empty(cls, value: object) -> object:
        """An empty variable (`CONTACTIMPORT_TLS_CERT_FILE=`) means unset, not the folder `.`."""
        return None if value == "" else value

    def jwt_verify_key(self) -> str:
        """The configured key: CONTACTIMPORT_JWT_KEY, else the file it names."""
        if self.jwt_key:
            return self.jwt_key
        if self.jwt_key_file is not None:
            return self.jwt_key_file.read_text().strip()
        return ""

    def algorithms(self) -> list[str]:
        return [a.strip() for a in self.jwt_algorithms.split(",") if a.strip()]


def _cores() -> int:
    """The cores this process may run on (its CPU affinity, else the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1
