# shell helpers for integration tests (stub)
