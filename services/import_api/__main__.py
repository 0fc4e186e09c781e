"""`python -m services.import_api`: run the gRPC API until SIGTERM/SIGINT."""

from services.import_api.server import main

main()
