"""The `contactimport` command: mint a development token, import a file, fetch its failures."""
