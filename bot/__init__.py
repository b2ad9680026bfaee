"""The running program: CLI, settings, wiring, channels and the scheduler."""
