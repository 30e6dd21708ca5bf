"""One module per CLI command; graph/cli.py parses arguments and maps errors to exit codes."""
