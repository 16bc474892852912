"""`python -m engine` works like the `guidelines` command."""

from .cli import main

if __name__ == "__main__":
    main(prog_name="guidelines")
